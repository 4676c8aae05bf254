package dev.memstore.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The plain Java baseline: every allowed vector scored exactly, the scan split over two threads
 * (the caller and one helper), each keeping its own top k.
 */
final class FloatScan implements KnnSearch, AutoCloseable {
  private final float[] vectors;
  private final byte[] buckets;
  private final int dimension;
  private final int size;
  private final ExecutorService helper = Executors.newSingleThreadExecutor();

  FloatScan(float[] vectors, byte[] buckets, int dimension) {
    this.vectors = vectors;
    this.buckets = buckets;
    this.dimension = dimension;
    this.size = buckets.length;
  }

  @Override
  public int[] search(float[] query, int percent, int k) throws Exception {
    int middle = size / 2;
    Future<TopK> upper = helper.submit(() -> scan(query, percent, k, middle, size));
    TopK best = scan(query, percent, k, 0, middle);
    best.mergeFrom(upper.get());
    return best.memories();
  }

  private TopK scan(float[] query, int percent, int k, int from, int to) {
    TopK best = new TopK(k);
    for (int memory = from; memory < to; memory++) {
      if (buckets[memory] >= percent) {
        continue;
      }
      int base = memory * dimension;
      float sum0 = 0;
      float sum1 = 0;
      float sum2 = 0;
      float sum3 = 0;
      for (int index = 0; index < dimension; index += 4) {
        sum0 += query[index] * vectors[base + index];
        sum1 += query[index + 1] * vectors[base + index + 1];
        sum2 += query[index + 2] * vectors[base + index + 2];
        sum3 += query[index + 3] * vectors[base + index + 3];
      }
      best.offer(memory, (sum0 + sum1) + (sum2 + sum3));
    }
    return best;
  }

  @Override
  public void close() {
    helper.shutdownNow();
  }

  /** The k best memories seen so far, best first. */
  static final class TopK {
    private final int[] memories;
    private final float[] scores;
    private int filled;

    TopK(int k) {
      memories = new int[k];
      scores = new float[k];
    }

    void offer(int memory, float score) {
      if (filled == memories.length && score <= scores[filled - 1]) {
        return;
      }
      int position = filled < memories.length ? filled++ : filled - 1;
      while (position > 0 && scores[position - 1] < score) {
        scores[position] = scores[position - 1];
        memories[position] = memories[position - 1];
        position--;
      }
      scores[position] = score;
      memories[position] = memory;
    }

    void mergeFrom(TopK other) {
      for (int index = 0; index < other.filled; index++) {
        offer(other.memories[index], other.scores[index]);
      }
    }

    int[] memories() {
      return java.util.Arrays.copyOf(memories, filled);
    }
  }
}
