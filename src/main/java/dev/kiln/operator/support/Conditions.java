package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds conditions in the standard Kubernetes shape. A condition's lastTransitionTime is carried
 * over from the previous status unless its status flips, so rebuilding a status from scratch on
 * every reconcile does not make it look as if something changed.
 */
public final class Conditions {

  public static final String TRUE = "True";
  public static final String FALSE = "False";
  public static final String UNKNOWN = "Unknown";

  private final Clock clock;
  private final List<Condition> previous;
  private final Long generation;
  private final List<Condition> result = new ArrayList<>();

  private Conditions(Clock clock, List<Condition> previous, Long generation) {
    this.clock = clock;
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
  }

  /** Starts a new set of conditions that replaces {@code previous}, for the given generation. */
  public static Conditions after(Clock clock, List<Condition> previous, Long generation) {
    return new Conditions(clock, previous, generation);
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    return set(type, status ? TRUE : FALSE, reason, message);
  }

  public Conditions set(String type, String status, String reason, String message) {
    Objects.requireNonNull(reason, "a condition needs a reason");
    String lastTransition = find(previous, type)
        .filter(old -> status.equals(old.getStatus()))
        .map(Condition::getLastTransitionTime)
        .orElseGet(this::now);
    result.removeIf(c -> c.getType().equals(type));
    Condition condition = new Condition();
    condition.setType(type);
    condition.setStatus(status);
    condition.setReason(reason);
    condition.setMessage(message == null ? "" : message);
    condition.setObservedGeneration(generation);
    condition.setLastTransitionTime(lastTransition);
    result.add(condition);
    return this;
  }

  /**
   * Reconciling and Stalled, as GitOps tools read them (the kstatus conventions Flux and Argo CD
   * follow): Reconciling while the object is on its way, Stalled once it has failed for good, both
   * False once it has settled where its spec asks.
   */
  public Conditions progress(Progress progress, String reason, String message) {
    set(ConditionTypes.RECONCILING, progress == Progress.ON_ITS_WAY,
        progress == Progress.ON_ITS_WAY ? reason : Reasons.SETTLED,
        progress == Progress.ON_ITS_WAY ? message : "nothing left to do");
    set(ConditionTypes.STALLED, progress == Progress.FAILED,
        progress == Progress.FAILED ? reason : Reasons.NOT_STALLED,
        progress == Progress.FAILED ? message : "not failed");
    return this;
  }

  /** Where an object stands, for {@link #progress}. */
  public enum Progress { ON_ITS_WAY, SETTLED, FAILED }

  public List<Condition> build() {
    return List.copyOf(result);
  }

  private String now() {
    return Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }
}
