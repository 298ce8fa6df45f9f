package dev.kiln.operator.support;

import dev.kiln.api.v1alpha1.KilnStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * What a user sees when a pass fails unexpectedly (the API server refuses a write, answers 5xx, a
 * command in a machine fails): a {@code ReconcileError} condition with the reason and the error's
 * message, a log line, and a Warning Event once the retries are spent. The next successful pass
 * rebuilds the conditions without it. Write conflicts are routine (the pass simply runs again on
 * the newer object) and are not reported.
 */
public final class ReconcileErrors {

  private static final Logger LOG = Logger.getLogger(ReconcileErrors.class);
  /** The attempt at which a lasting error is announced: where the framework's default retry would give up. */
  static final int ANNOUNCE_AT_ATTEMPT = 5;
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final Clock clock;
  private final EventRecorder events;

  public ReconcileErrors(Clock clock, EventRecorder events) {
    this.clock = clock;
    this.events = events;
  }

  public <S extends KilnStatus, R extends CustomResource<?, S>> ErrorStatusUpdateControl<R> report(R resource,
      Context<R> context, Exception error, Class<S> statusType, Supplier<R> emptyResource) {
    if (error instanceof KubernetesClientException api && api.getCode() == 409) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    String reason = reasonOf(error);
    String message = ApiErrors.message(error);
    boolean lastAttempt = context.getRetryInfo().map(r -> r.isLastAttempt()).orElse(true);
    // Announced once, when the error has outlasted a few quick retries: a blip is not worth an Event,
    // and the retries go on for long after (see Retries).
    boolean lasting = context.getRetryInfo().map(r -> r.getAttemptCount() == ANNOUNCE_AT_ATTEMPT
        || (r.isLastAttempt() && r.getAttemptCount() < ANNOUNCE_AT_ATTEMPT)).orElse(true);
    LOG.warnf("%s %s/%s: %s: %s%s", resource.getKind(), resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(), reason, message, lastAttempt ? " (giving up until the next change)" : "");
    if (lasting) {
      events.warning(resource, Reasons.RECONCILE_ERROR, message);
    }
    S status = resource.getStatus() == null ? newStatus(statusType)
        : SERIALIZATION.convertValue(resource.getStatus(), statusType);
    List<Condition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
    conditions.removeIf(c -> ConditionTypes.RECONCILE_ERROR.equals(c.getType()));
    conditions.addAll(Conditions.after(clock, status.getConditions(), resource.getMetadata().getGeneration())
        .set(ConditionTypes.RECONCILE_ERROR, true, reason, message).build());
    status.setConditions(conditions);
    if (StatusPatch.sameContent(resource.getStatus(), status)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    return ErrorStatusUpdateControl.patchStatus(StatusPatch.statusOnly(resource, status, emptyResource));
  }

  /** A CamelCase word for what went wrong. */
  static String reasonOf(Exception error) {
    if (error instanceof KubernetesClientException api) {
      int code = api.getCode();
      if (code == 403) {
        return "Forbidden";
      }
      if (code == 422 || code == 400) {
        return "Invalid";
      }
      if (code == 404) {
        return "NotFound";
      }
      if (code >= 500 || code == 429) {
        return "ApiServerUnavailable";
      }
      return "ApiError";
    }
    return "InternalError";
  }

  private static <S> S newStatus(Class<S> type) {
    try {
      return type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
