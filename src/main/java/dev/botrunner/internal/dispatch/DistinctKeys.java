package dev.botrunner.internal.dispatch;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;

/** Turns a submission's key collection into an array without nulls or duplicates. */
final class DistinctKeys {

  static final Object[] NONE = new Object[0];

  /** Below this many keys a linear duplicate scan beats building a hash set. */
  private static final int LINEAR_SCAN_LIMIT = 8;

  private DistinctKeys() {}

  /**
   * Returns the distinct non-null keys in iteration order. Collapsing duplicates matters: an update
   * whose chat key equals its user key would otherwise wait behind itself forever.
   */
  static Object[] of(Collection<?> keys) {
    int n = keys.size();
    if (n == 0) {
      return NONE;
    }
    Object[] out = new Object[n];
    int count = 0;
    if (n <= LINEAR_SCAN_LIMIT) {
      outer:
      for (Object k : keys) {
        if (k == null) {
          continue;
        }
        for (int i = 0; i < count; i++) {
          if (out[i].equals(k)) {
            continue outer;
          }
        }
        out[count++] = k;
      }
    } else {
      HashSet<Object> seen = new HashSet<>(n * 2);
      for (Object k : keys) {
        if (k != null && seen.add(k)) {
          out[count++] = k;
        }
      }
    }
    if (count == n) {
      return out;
    }
    return count == 0 ? NONE : Arrays.copyOf(out, count);
  }
}
