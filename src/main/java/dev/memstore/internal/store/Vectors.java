package dev.memstore.internal.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Embeddings as sqlite-vec stores them: little-endian float32. */
final class Vectors {
  private Vectors() {}

  static byte[] toBytes(float[] vector) {
    ByteBuffer buffer =
        ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }
}
