package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;

/**
 * The finalizer of a reconciler that hears every event of its resource (triggerReconcilerOnAllEvents)
 * and so manages its finalizer itself. The framework would add it in a pass of its own and start the
 * work only once the finalizer's watch event came back; adding it at the start of the working pass
 * saves that round trip, and still puts it in place before the pass makes anything to clean up.
 */
public final class OwnFinalizer {

  private OwnFinalizer() {}

  /** The primary with the finalizer: added now when missing, and kept as written for the next pass. */
  public static <P extends HasMetadata> P ensure(P primary, String finalizer, Context<P> context) {
    if (primary.hasFinalizer(finalizer)) {
      return primary;
    }
    P stored = PrimaryUpdateAndCacheUtils.addFinalizer(context.getClient(), primary, finalizer);
    WrittenCopies.of(context).wrote(stored);
    return stored;
  }

  /** Lets the API server delete the primary: its cleanup ran. */
  public static <P extends HasMetadata> void release(P primary, String finalizer, Context<P> context) {
    if (primary.hasFinalizer(finalizer)) {
      PrimaryUpdateAndCacheUtils.removeFinalizer(context.getClient(), primary, finalizer);
    }
  }

  /** The resource is gone from the API server: the event that says so has nothing left to act on. */
  public static boolean gone(Context<?> context) {
    return context.isPrimaryResourceDeleted() || context.isPrimaryResourceFinalStateUnknown();
  }
}
