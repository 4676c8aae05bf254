package dev.memstore.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Reads the vectors a store writes (little-endian floats) and compares them, for raw checks. */
public final class StoredVectors {
  private StoredVectors() {}

  /** The floats of a stored vector's bytes. */
  public static float[] floats(byte[] bytes) {
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return vector;
  }

  /** The cosine of the angle between two vectors of the same dimension. */
  public static double cosine(float[] left, float[] right) {
    double dot = 0;
    double leftNorm = 0;
    double rightNorm = 0;
    for (int index = 0; index < left.length; index++) {
      dot += left[index] * right[index];
      leftNorm += left[index] * left[index];
      rightNorm += right[index] * right[index];
    }
    return dot / Math.sqrt(leftNorm * rightNorm);
  }
}
