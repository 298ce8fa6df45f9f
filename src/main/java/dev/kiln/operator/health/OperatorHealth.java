package dev.kiln.operator.health;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The operator's health as the probes see it, decided from what the runtime reports: started once the
 * operator runs; healthy while, on the leader, every informer is connected and synced. A standby has
 * no informers running and is healthy while it waits for the Lease.
 */
public final class OperatorHealth {

  /**
   * @param up whether the probe passes
   * @param data what a person reading /q/health wants to know
   */
  public record Verdict(boolean up, Map<String, String> data) {}

  private OperatorHealth() {}

  public static Verdict started(boolean started) {
    return new Verdict(started, Map.of("started", String.valueOf(started)));
  }

  /**
   * @param started whether the operator has started
   * @param electing whether replicas elect a leader (off in development)
   * @param leading whether this replica holds the Lease
   * @param unhealthy the unhealthy event sources, as controller/source
   */
  public static Verdict healthy(boolean started, boolean electing, boolean leading, Set<String> unhealthy) {
    Map<String, String> data = new TreeMap<>();
    data.put("role", !electing ? "only replica" : leading ? "leader" : "standby");
    if (!started) {
      data.put("reason", "the operator has not started");
      return new Verdict(false, data);
    }
    if (electing && !leading) {
      return new Verdict(true, data);
    }
    if (!unhealthy.isEmpty()) {
      data.put("unhealthy", String.join(", ", new TreeSet<>(unhealthy)));
      return new Verdict(false, data);
    }
    return new Verdict(true, data);
  }

  static Verdict of(Operator operator, Leadership leadership) {
    RuntimeInfo runtime = operator.getRuntimeInfo();
    boolean electing = operator.getConfigurationService().getLeaderElectionConfiguration().isPresent();
    Set<String> unhealthy = new TreeSet<>();
    if (runtime.isStarted()) {
      runtime.unhealthyEventSources().forEach((controller, sources) ->
          sources.keySet().forEach(source -> unhealthy.add(controller + "/" + source)));
    }
    return healthy(runtime.isStarted(), electing, leadership.leading(), unhealthy);
  }
}
