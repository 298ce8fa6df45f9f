package dev.kiln.operator.support;

import java.math.BigDecimal;

/** Writes a byte count as the Kubernetes quantity people read best: Gi, Mi, Ki, or bytes. */
public final class Storage {

  private static final String[] UNITS = {"Ti", "Gi", "Mi", "Ki"};
  private static final long[] FACTORS = {1L << 40, 1L << 30, 1L << 20, 1L << 10};

  private Storage() {}

  public static String format(BigDecimal bytes) {
    long value = bytes.longValue();
    for (int i = 0; i < UNITS.length; i++) {
      if (value >= FACTORS[i] && value % FACTORS[i] == 0) {
        return (value / FACTORS[i]) + UNITS[i];
      }
    }
    return Long.toString(value);
  }
}
