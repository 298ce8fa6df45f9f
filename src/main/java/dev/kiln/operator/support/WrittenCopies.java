package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The copies of a controller's primaries that it stored a status on and its informer has not yet
 * delivered. The framework caches such a copy too, but lets any later watch event replace it, even
 * one for an older version that arrives late under load; a pass that starts from that older copy
 * computes a status the API server refuses as stale, and the write is spent again. A pass starts from
 * the newer of the cached primary and the copy kept here; a copy is dropped once the informer
 * delivers its version or a later one, or the object is deleted.
 *
 * <p>Registered as an event source only to hear of every primary event; it triggers nothing.
 */
public final class WrittenCopies<P extends HasMetadata> extends AbstractEventSource<WrittenCopies.Marker, P>
    implements ResourceEventAware<P> {

  private static final String NAME = "kiln-written-copies";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final ConcurrentMap<ResourceID, P> copies = new ConcurrentHashMap<>();

  /** The type this source is filed under: none of the kinds a controller reads, so lookups by kind never find it. */
  public static final class Marker {
    private Marker() {}
  }

  public WrittenCopies() {
    super(Marker.class, NAME);
  }

  /** The controller's copies, as registered among its event sources. */
  @SuppressWarnings("unchecked")
  public static <P extends HasMetadata> WrittenCopies<P> of(Context<P> context) {
    return (WrittenCopies<P>) context.eventSourceRetriever().getEventSourceFor(Marker.class, NAME);
  }

  /** What a status write returned: the object as stored. */
  public void wrote(P stored) {
    copies.merge(ResourceID.fromResource(stored), stored, (kept, latest) -> isOlder(latest, kept) ? kept : latest);
  }

  /**
   * The primary a pass should start from: the cached one, unless this controller has since stored a
   * newer version of the same object (a copy then, since a pass may change what it is given).
   */
  public P freshest(P cached) {
    ResourceID id = ResourceID.fromResource(cached);
    P written = copies.get(id);
    if (written == null) {
      return cached;
    }
    if (!sameObject(written, cached) || !isOlder(cached, written)) {
      copies.remove(id, written);
      return cached;
    }
    @SuppressWarnings("unchecked")
    P copy = (P) SERIALIZATION.clone(written);
    return copy;
  }

  int size() {
    return copies.size();
  }

  @Override
  public void onResourceCreated(P resource) {
    delivered(resource);
  }

  @Override
  public void onResourceUpdated(P resource, P oldResource) {
    delivered(resource);
  }

  @Override
  public void onResourceDeleted(P resource) {
    copies.remove(ResourceID.fromResource(resource));
  }

  @Override
  public Set<Marker> getSecondaryResources(P primary) {
    return Set.of();
  }

  private void delivered(P resource) {
    copies.computeIfPresent(ResourceID.fromResource(resource),
        (id, written) -> sameObject(written, resource) && isOlder(resource, written) ? written : null);
  }

  private static boolean sameObject(HasMetadata a, HasMetadata b) {
    return Objects.equals(a.getMetadata().getUid(), b.getMetadata().getUid());
  }

  /**
   * Whether {@code a} is an older version than {@code b}. The API server's resourceVersions are
   * decimal revisions that grow with every write; one that is not (another storage) is never taken
   * as older, so the cached primary is used, as without this class.
   */
  static boolean isOlder(HasMetadata a, HasMetadata b) {
    String x = a.getMetadata().getResourceVersion();
    String y = b.getMetadata().getResourceVersion();
    if (!isRevision(x) || !isRevision(y)) {
      return false;
    }
    String p = stripZeros(x);
    String q = stripZeros(y);
    return p.length() != q.length() ? p.length() < q.length() : p.compareTo(q) < 0;
  }

  private static boolean isRevision(String version) {
    return version != null && !version.isEmpty() && version.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static String stripZeros(String digits) {
    int i = 0;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }
}
