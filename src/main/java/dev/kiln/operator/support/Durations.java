package dev.kiln.operator.support;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The durations users write in Kiln specs ("90s", "30m", "1h30m", "24h", "500ms"), read and written. */
public final class Durations {

  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

  private Durations() {}

  public static Duration parse(String text) {
    Matcher matcher = PART.matcher(text);
    long millis = 0;
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      double amount = Double.parseDouble(matcher.group(1));
      millis += (long) (amount * switch (matcher.group(2)) {
        case "ms" -> 1;
        case "s" -> 1_000;
        case "m" -> 60_000;
        default -> 3_600_000;
      });
      end = matcher.end();
    }
    if (end == 0 || end != text.length()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    return Duration.ofMillis(millis);
  }

  /** Seconds with milliseconds, as {@link #parse} reads them back: "2.5s", "0.083s", "754s". */
  public static String format(Duration duration) {
    return java.math.BigDecimal.valueOf(Math.max(0, duration.toMillis()), 3).stripTrailingZeros().toPlainString() + "s";
  }
}
