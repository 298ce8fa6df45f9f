package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A reconcile pass whose Events wait until its status is stored. A pass stores its status itself
 * (and caches what it stored) before the Events go out: an operator that dies in between loses an
 * Event rather than announcing the same change again after its restart. A pass whose status write
 * fails announces nothing.
 */
public final class AnnouncedPass {

  private AnnouncedPass() {}

  /**
   * Runs a pass over the primary, or over the copy this controller stored since when the cache still
   * shows an older one ({@link WrittenCopies}).
   */
  public static <R extends HasMetadata> UpdateControl<R> run(EventRecorder events, R primary, Context<R> context,
      Function<R, UpdateControl<R>> pass) {
    EventRecorder.Deferral announcements = events.defer();
    boolean writeFailed = false;
    try {
      return pass.apply(WrittenCopies.of(context).freshest(primary));
    } catch (StatusWriteFailed e) {
      writeFailed = true;
      throw e.getCause();
    } finally {
      if (writeFailed) {
        announcements.close();
      } else {
        announcements.publish();
      }
    }
  }

  /**
   * The pass's status, stored now when it changed and cached as stored: the next pass must start
   * from it even when its own watch event is still on the way, or it would compute the same status
   * again from the copy before and have it refused as stale (a wasted write and a retry).
   */
  public static <S, R extends CustomResource<?, S>> UpdateControl<R> store(R resource, S status,
      Supplier<R> emptyResource, Context<R> context) {
    if (StatusPatch.sameContent(resource.getStatus(), status)) {
      return UpdateControl.noUpdate();
    }
    try {
      // A conflict is retried on the newer copy once the cache has it; the change is taken against
      // the copy it is written over.
      AtomicReference<S> base = new AtomicReference<>();
      R stored = PrimaryUpdateAndCacheUtils.updateAndCacheResource(resource, context, current -> {
        base.set(current.getStatus());
        return StatusPatch.statusOnly(current, status, emptyResource);
      }, desired -> StatusPatch.writeChange(context.getClient(), desired, base.get()));
      WrittenCopies.of(context).wrote(stored);
    } catch (RuntimeException e) {
      throw new StatusWriteFailed(e);
    }
    return UpdateControl.noUpdate();
  }

  private static final class StatusWriteFailed extends RuntimeException {
    StatusWriteFailed(RuntimeException cause) {
      super(cause);
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) super.getCause();
    }
  }
}
