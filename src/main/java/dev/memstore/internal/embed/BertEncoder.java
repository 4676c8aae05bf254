package dev.memstore.internal.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.memstore.InternalErrorException;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a text into one normalised vector with a BERT model in ONNX, exactly as LangChain4j's
 * {@code OnnxBertBiEncoder} did for the vectors already in users' files (a test compares both): the
 * text's tokens are cut, at word boundaries, into parts of at most 510, each part is run through
 * the model and pooled (the {@code [CLS]} vector, or the mean of all), the parts are averaged
 * weighted by their token counts, and the result is scaled to length 1.
 *
 * <p>Thread-safe: onnxruntime sessions run concurrently.
 */
final class BertEncoder {
  private static final int MAX_SEQUENCE_LENGTH = 510;

  private final String name;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final Set<String> inputs;
  private final WordPieceTokenizer tokenizer;
  private final boolean meanPooling;

  BertEncoder(
      String name,
      OrtEnvironment environment,
      OrtSession session,
      WordPieceTokenizer tokenizer,
      boolean meanPooling)
      throws OrtException {
    this.name = name;
    this.environment = environment;
    this.session = session;
    this.inputs = session.getInputNames();
    this.tokenizer = tokenizer;
    this.meanPooling = meanPooling;
  }

  /**
   * Returns the text's vector.
   *
   * @throws InternalErrorException when onnxruntime fails
   */
  float[] embed(String text) {
    try {
      return embedParts(text);
    } catch (OrtException e) {
      throw new InternalErrorException("the bundled model " + name + " failed to embed a text", e);
    }
  }

  private float[] embedParts(String text) throws OrtException {
    List<String> tokens = tokenizer.tokenize(text);
    List<List<String>> partitions = partition(tokens);
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("cannot embed empty or whitespace-only text");
    }
    List<float[]> embeddings = new ArrayList<>();
    for (List<String> partition : partitions) {
      embeddings.add(encode(text(partition)));
    }
    return normalize(weightedAverage(embeddings, partitions));
  }

  private static List<List<String>> partition(List<String> tokens) {
    List<List<String>> partitions = new ArrayList<>();
    int from = 1; // after [CLS]
    while (from < tokens.size() - 1) { // before [SEP]
      int to = from + MAX_SEQUENCE_LENGTH;
      if (to >= tokens.size() - 1) {
        to = tokens.size() - 1;
      } else {
        while (tokens.get(to).startsWith("##")) {
          to--; // a word stays in one part
        }
      }
      partitions.add(tokens.subList(from, to));
      from = to;
    }
    return partitions;
  }

  /**
   * The text of a part, as LangChain4j rebuilt it: the tokens joined with spaces and continuations
   * glued, when that text gives the same tokens again, else the tokens glued together.
   */
  private String text(List<String> partition) {
    String text = String.join(" ", partition).replace(" ##", "").trim();
    List<String> again = tokenizer.tokenize(text);
    return again.subList(1, again.size() - 1).equals(partition) ? text : String.join("", partition);
  }

  private float[] encode(String text) throws OrtException {
    long[] ids = tokenizer.ids(tokenizer.tokenize(text));
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1);
    long[] types = new long[ids.length];
    long[] shape = {1, ids.length};
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typeTensor =
            OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape)) {
      Map<String, OnnxTensor> feed = new HashMap<>();
      feed.put("input_ids", idTensor);
      feed.put("attention_mask", maskTensor);
      if (inputs.contains("token_type_ids")) {
        feed.put("token_type_ids", typeTensor);
      }
      try (OrtSession.Result result = session.run(feed)) {
        float[][] vectors = ((float[][][]) result.get(0).getValue())[0];
        return meanPooling ? mean(vectors) : vectors[0];
      }
    }
  }

  private static float[] mean(float[][] vectors) {
    float[] mean = new float[vectors[0].length];
    for (float[] vector : vectors) {
      for (int index = 0; index < mean.length; index++) {
        mean[index] += vector[index];
      }
    }
    for (int index = 0; index < mean.length; index++) {
      mean[index] /= vectors.length;
    }
    return mean;
  }

  private static float[] weightedAverage(List<float[]> embeddings, List<List<String>> partitions) {
    if (embeddings.size() == 1) {
      return embeddings.get(0);
    }
    float[] average = new float[embeddings.get(0).length];
    int total = 0;
    for (int part = 0; part < embeddings.size(); part++) {
      int weight = partitions.get(part).size();
      total += weight;
      for (int index = 0; index < average.length; index++) {
        average[index] += embeddings.get(part)[index] * weight;
      }
    }
    for (int index = 0; index < average.length; index++) {
      average[index] /= total;
    }
    return average;
  }

  private static float[] normalize(float[] vector) {
    float sumOfSquares = 0;
    for (float value : vector) {
      sumOfSquares += value * value;
    }
    float norm = (float) Math.sqrt(sumOfSquares);
    float[] normalized = new float[vector.length];
    for (int index = 0; index < vector.length; index++) {
      normalized[index] = vector[index] / norm;
    }
    return normalized;
  }
}
