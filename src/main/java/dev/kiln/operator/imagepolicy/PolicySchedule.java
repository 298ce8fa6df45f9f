package dev.kiln.operator.imagepolicy;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * An ImagePolicy's schedule: a cron expression read in a time zone. Five fields as a CronJob's
 * (minute hour day-of-month month day-of-week), or six with seconds first.
 */
final class PolicySchedule {

  private static final CronParser FIVE_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser SIX_FIELDS = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

  private final ExecutionTime times;
  private final ZoneId zone;

  private PolicySchedule(ExecutionTime times, ZoneId zone) {
    this.times = times;
    this.zone = zone;
  }

  /** The schedule, or why the expression or the time zone cannot be read. */
  static Result parse(String expression, String timeZone) {
    ZoneId zone;
    try {
      zone = timeZone == null || timeZone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      return new Result(null, "timeZone " + timeZone + " is not an IANA time zone such as Europe/Paris");
    }
    String trimmed = expression.trim();
    try {
      Cron cron = (trimmed.split("\\s+").length == 6 ? SIX_FIELDS : FIVE_FIELDS).parse(trimmed);
      cron.validate();
      return new Result(new PolicySchedule(ExecutionTime.forCron(cron), zone), null);
    } catch (IllegalArgumentException e) {
      return new Result(null, "schedule " + expression + " is not a cron expression: " + e.getMessage());
    }
  }

  /** The latest scheduled time at or before {@code time}. */
  Optional<Instant> lastAtOrBefore(Instant time) {
    // The last execution strictly before the next whole second: a time on the schedule counts itself.
    return times.lastExecution(time.atZone(zone).withNano(0).plusSeconds(1)).map(t -> t.toInstant());
  }

  /** The first scheduled time after {@code time}. */
  Optional<Instant> nextAfter(Instant time) {
    return times.nextExecution(time.atZone(zone)).map(t -> t.toInstant());
  }

  record Result(PolicySchedule schedule, String problem) {}
}
