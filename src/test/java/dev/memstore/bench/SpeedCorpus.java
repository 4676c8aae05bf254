package dev.memstore.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.memstore.Embedder;
import dev.memstore.internal.embed.BundledEmbedder;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The speed benchmark's data: real texts (REALTALK turns, SciFact titles and abstract sentences)
 * embedded once by the default model and cached under {@code target/bench-cache/}, padded to the
 * wanted size with noisy copies; 200 query texts that are not in the corpus (SciFact claims and
 * REALTALK questions); and a filter bucket per memory.
 *
 * <p>All vectors are held normalised, one flat array, so a dot product is the cosine.
 */
final class SpeedCorpus {
  // MiniLM, not the default model: the speed table of peers is measured on MiniLM vectors.
  static final String MODEL = "all-minilm-l6-v2-q";
  static final int DIMENSION = 384;

  /** Per-component standard deviation of the noise added to a padding copy (norm about 0.25). */
  static final double NOISE = 0.0128;

  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[A-Z0-9(\\[])");
  private static final int EMBED_BATCH = 256;

  /** The memories' texts; copies repeat their source's text. */
  final List<String> texts;

  /** The memories' vectors, normalised, {@code size * DIMENSION} floats. */
  final float[] vectors;

  /** How many memories carry a real text's own vector (the rest are noisy copies). */
  final int real;

  final List<String> queryTexts;
  final float[] queries;

  /** Each memory's filter bucket, 0 to 99: a slice of p percent keeps the buckets below p. */
  final byte[] buckets;

  private SpeedCorpus(
      List<String> texts,
      float[] vectors,
      int real,
      List<String> queryTexts,
      float[] queries,
      byte[] buckets) {
    this.texts = texts;
    this.vectors = vectors;
    this.real = real;
    this.queryTexts = queryTexts;
    this.queries = queries;
    this.buckets = buckets;
  }

  int size() {
    return texts.size();
  }

  float[] vector(int memory) {
    float[] vector = new float[DIMENSION];
    System.arraycopy(vectors, memory * DIMENSION, vector, 0, DIMENSION);
    return vector;
  }

  float[] query(int query) {
    float[] vector = new float[DIMENSION];
    System.arraycopy(queries, query * DIMENSION, vector, 0, DIMENSION);
    return vector;
  }

  int queryCount() {
    return queryTexts.size();
  }

  /**
   * Loads the texts from the bench-data folder, embeds them (or reads the cache), and pads to
   * {@code size}.
   */
  static SpeedCorpus load(Path data, Path cacheFolder, int size, int queryCount)
      throws IOException {
    List<String> corpus = corpusTexts(data);
    if (corpus.size() > size) {
      corpus = corpus.subList(0, size);
    }
    List<String> queries = queryTexts(data, queryCount, Set.copyOf(corpus));
    List<String> all = new ArrayList<>(corpus);
    all.addAll(queries);
    float[] embedded = embedCached(all, cacheFolder);

    int real = corpus.size();
    float[] vectors = new float[size * DIMENSION];
    System.arraycopy(embedded, 0, vectors, 0, real * DIMENSION);
    List<String> texts = new ArrayList<>(corpus);
    Random random = new Random(42);
    for (int memory = real; memory < size; memory++) {
      int source = random.nextInt(real);
      texts.add(corpus.get(source));
      int base = memory * DIMENSION;
      for (int index = 0; index < DIMENSION; index++) {
        vectors[base + index] =
            vectors[source * DIMENSION + index] + (float) (random.nextGaussian() * NOISE);
      }
    }
    for (int memory = 0; memory < size; memory++) {
      normalise(vectors, memory * DIMENSION);
    }
    float[] queryVectors = new float[queries.size() * DIMENSION];
    System.arraycopy(embedded, real * DIMENSION, queryVectors, 0, queryVectors.length);
    for (int query = 0; query < queries.size(); query++) {
      normalise(queryVectors, query * DIMENSION);
    }
    byte[] buckets = new byte[size];
    Random bucketRandom = new Random(7);
    for (int memory = 0; memory < size; memory++) {
      buckets[memory] = (byte) bucketRandom.nextInt(100);
    }
    return new SpeedCorpus(texts, vectors, real, queries, queryVectors, buckets);
  }

  private static void normalise(float[] vectors, int base) {
    double norm = 0;
    for (int index = 0; index < DIMENSION; index++) {
      norm += vectors[base + index] * vectors[base + index];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int index = 0; index < DIMENSION; index++) {
      vectors[base + index] *= scale;
    }
  }

  /** REALTALK turns, then SciFact titles and abstract sentences; no duplicates, no tiny ones. */
  static List<String> corpusTexts(Path data) throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> texts = new LinkedHashSet<>();
    for (Path chat : chats(data)) {
      JsonNode root = json.readTree(chat.toFile());
      for (int session = 1; root.has("session_" + session); session++) {
        for (JsonNode turn : root.get("session_" + session)) {
          String text = turn.path("clean_text").asText("").strip();
          if (text.length() >= 3) {
            texts.add(text);
          }
        }
      }
    }
    try (BufferedReader lines =
        Files.newBufferedReader(data.resolve("scifact").resolve("corpus.jsonl"))) {
      String line;
      while ((line = lines.readLine()) != null) {
        JsonNode abstractNode = json.readTree(line);
        String title = abstractNode.path("title").asText("").strip();
        if (title.length() >= 20) {
          texts.add(title);
        }
        for (String sentence : SENTENCE_END.split(abstractNode.path("text").asText(""))) {
          if (sentence.strip().length() >= 20) {
            texts.add(sentence.strip());
          }
        }
      }
    }
    return List.copyOf(texts);
  }

  /**
   * Half SciFact claims, half REALTALK questions, spread evenly over both lists; a text that is
   * also in the corpus is replaced by the next one.
   */
  static List<String> queryTexts(Path data, int count, Set<String> corpus) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> claims = new ArrayList<>();
    try (BufferedReader lines =
        Files.newBufferedReader(data.resolve("scifact").resolve("queries.jsonl"))) {
      String line;
      while ((line = lines.readLine()) != null) {
        claims.add(json.readTree(line).path("text").asText());
      }
    }
    List<String> questions = new ArrayList<>();
    for (Path chat : chats(data)) {
      for (JsonNode qa : json.readTree(chat.toFile()).path("qa")) {
        questions.add(qa.path("question").asText());
      }
    }
    Set<String> picked = new LinkedHashSet<>();
    pickSpread(claims, count / 2, corpus, picked);
    pickSpread(questions, count - count / 2, corpus, picked);
    return List.copyOf(picked);
  }

  private static void pickSpread(
      List<String> texts, int wanted, Set<String> excluded, Set<String> picked) {
    int target = picked.size() + wanted;
    for (int index = 0; index < wanted && picked.size() < target; index++) {
      int position = index * texts.size() / wanted;
      while (position < texts.size()
          && (excluded.contains(texts.get(position)) || picked.contains(texts.get(position)))) {
        position++;
      }
      if (position < texts.size()) {
        picked.add(texts.get(position));
      }
    }
  }

  private static List<Path> chats(Path data) throws IOException {
    try (Stream<Path> files = Files.list(data.resolve("realtalk"))) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * Returns the texts' vectors (not normalised) from the cache, embedding and caching them first
   * when the cache has no file for exactly these texts.
   */
  private static float[] embedCached(List<String> texts, Path cacheFolder) throws IOException {
    Path cache = cacheFolder.resolve("speed-" + MODEL + "-" + digest(texts) + ".f32");
    if (Files.exists(cache)) {
      try (InputStream file = Files.newInputStream(cache);
          DataInputStream input = new DataInputStream(new java.io.BufferedInputStream(file))) {
        int count = input.readInt();
        int dimension = input.readInt();
        if (count == texts.size() && dimension == DIMENSION) {
          float[] vectors = new float[count * dimension];
          for (int index = 0; index < vectors.length; index++) {
            vectors[index] = input.readFloat();
          }
          return vectors;
        }
      }
    }
    Embedder embedder = BundledEmbedder.named(MODEL).orElseThrow();
    float[] vectors = new float[texts.size() * DIMENSION];
    long start = System.nanoTime();
    for (int from = 0; from < texts.size(); from += EMBED_BATCH) {
      List<float[]> batch =
          embedder.embedAll(texts.subList(from, Math.min(texts.size(), from + EMBED_BATCH)));
      for (int index = 0; index < batch.size(); index++) {
        System.arraycopy(batch.get(index), 0, vectors, (from + index) * DIMENSION, DIMENSION);
      }
      if (from / EMBED_BATCH % 20 == 0) {
        System.out.printf(
            "embedded %,d of %,d texts in %.0f s%n",
            from + batch.size(), texts.size(), (System.nanoTime() - start) / 1e9);
      }
    }
    Files.createDirectories(cacheFolder);
    Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
    try (OutputStream file = Files.newOutputStream(partial);
        DataOutputStream output = new DataOutputStream(new java.io.BufferedOutputStream(file))) {
      output.writeInt(texts.size());
      output.writeInt(DIMENSION);
      for (float value : vectors) {
        output.writeFloat(value);
      }
    }
    Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING);
    return vectors;
  }

  private static String digest(List<String> texts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String text : texts) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
