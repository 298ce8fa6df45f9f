package dev.kiln.operator.storage;

import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reference counting of the storage system's snapshots. Several VolumeSnapshotContents may name the
 * same snapshot handle: the content an image's Snapshot was cut into, the contents of the copies
 * other images made of it, the local copies that launches from other namespaces restore from. Each
 * is a reference. The data goes with the last reference only: a content that is released while
 * others remain is switched to deletionPolicy Retain first, so that removing it never deletes what
 * the others still read; the last one is switched to Delete when the data was made to be deleted
 * (the policy of the content it was cut into, which every copy carries in
 * {@link #DATA_DELETION_POLICY}).
 *
 * <p>References are counted from the controllers' content caches, indexed by handle, together with
 * what this process made or released a moment ago and a cache may not show yet. Making and
 * releasing a reference to one handle are serialised in the process: two releases at once must not
 * each see the other and both keep the data.
 */
@Singleton
public class SnapshotReferences {

  /** Contents by the snapshot handle they name (spec.source for a pre-provisioned one, else status). */
  private static final String HANDLE_INDEX = "content-by-snapshot-handle";

  /** On a content Kiln makes: whether the data goes with the last reference (Delete) or stays (Retain). */
  public static final String DATA_DELETION_POLICY = "kiln.dev/data-deletion-policy";

  private static final String RETAIN = "Retain";
  private static final String DELETE = "Delete";

  private record Made(String handle, Instant at) {}

  /**
   * How long a released content is not counted, whatever a cache still shows of it, and how long a
   * content made is counted before a cache shows it.
   */
  private static final Duration RELEASE_MEMORY = Duration.ofMinutes(2);

  /** How long a reader waits for the shared content cache to start, and how often it looks. */
  private static final Duration SHARED_CACHE_WAIT = Duration.ofSeconds(60);
  private static final Duration SHARED_CACHE_POLL = Duration.ofMillis(100);

  private final Clock clock;
  private volatile InformerEventSource<VolumeSnapshotContent, ?> shared;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  /** Contents made a moment ago, by name: a cache may not show them yet. */
  private final Map<String, Made> made = new ConcurrentHashMap<>();
  /** Contents released, by name, with when. */
  private final Map<String, Instant> released = new ConcurrentHashMap<>();
  /** Handles whose last reference was released to delete the data, with when. */
  private final Map<String, Instant> deleting = new ConcurrentHashMap<>();

  public SnapshotReferences() {
    this(Clock.systemUTC());
  }

  public SnapshotReferences(Clock clock) {
    this.clock = clock;
  }

  /** Indexes a controller's content cache by handle, for {@link #contentsOf}; before it starts. */
  public static void indexByHandle(InformerEventSource<VolumeSnapshotContent, ?> contents) {
    contents.addIndexers(Map.of(HANDLE_INDEX, content -> {
      String handle = handleOf(content);
      return handle == null ? List.of() : List.of(handle);
    }));
  }

  /**
   * Shares one controller's content cache (indexed by {@link #indexByHandle}) with every controller of
   * this process, its own included, through {@link #contentsOf}: every content of the cluster, each a
   * few times a bake, is then watched and held once, not once per controller.
   */
  public void share(InformerEventSource<VolumeSnapshotContent, ?> contents) {
    shared = contents;
  }

  /**
   * The contents the shared cache holds for a handle. A controller may start before the one whose
   * cache it is has filled it: it waits for that, since an empty cache would read as no other
   * reference to the data.
   */
  public List<VolumeSnapshotContent> contentsOf(String handle) {
    return handle == null ? List.of() : started().byIndex(HANDLE_INDEX, handle);
  }

  /** The content of that name in the shared cache, or null. */
  public VolumeSnapshotContent content(String name) {
    return started().get(new ResourceID(name)).orElse(null);
  }

  private InformerEventSource<VolumeSnapshotContent, ?> started() {
    Instant giveUp = Instant.now().plus(SHARED_CACHE_WAIT);
    InformerEventSource<VolumeSnapshotContent, ?> contents = shared;
    while (contents == null || !contents.isRunning()) {
      if (Instant.now().isAfter(giveUp)) {
        throw new IllegalStateException("the cache of VolumeSnapshotContents has not started yet");
      }
      try {
        Thread.sleep(SHARED_CACHE_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the cache of VolumeSnapshotContents", e);
      }
      contents = shared;
    }
    return contents;
  }

  /** The snapshot handle a content names, if it knows one yet. */
  public static String handleOf(VolumeSnapshotContent content) {
    if (content.getSpec() != null && content.getSpec().getSource() != null
        && content.getSpec().getSource().getSnapshotHandle() != null) {
      return content.getSpec().getSource().getSnapshotHandle();
    }
    return content.getStatus() == null ? null : content.getStatus().getSnapshotHandle();
  }

  /**
   * Whether the data of {@code handle} on {@code driver} is the data of the VolumeSnapshot
   * {@code namespace}/{@code volumeSnapshot}: a content that names the handle is bound to it. Only
   * the snapshot controller and Kiln make contents, so this is what may be trusted when a handle is
   * read from an object's status, which whoever may write that status could have made up.
   *
   * @param contents the contents a cache holds for the handle
   */
  public static boolean boundTo(Collection<VolumeSnapshotContent> contents, String handle, String driver, String namespace,
      String volumeSnapshot) {
    return handle != null && contents.stream().anyMatch(c -> c.getMetadata().getDeletionTimestamp() == null
        && handle.equals(handleOf(c)) && c.getSpec() != null && c.getSpec().getDriver() != null
        && c.getSpec().getDriver().equals(driver) && c.getSpec().getVolumeSnapshotRef() != null
        && namespace.equals(c.getSpec().getVolumeSnapshotRef().getNamespace())
        && volumeSnapshot.equals(c.getSpec().getVolumeSnapshotRef().getName()));
  }

  /** What the last reference does with the data: the policy a copy carries, else the content's own. */
  static String dataPolicyOf(VolumeSnapshotContent content) {
    String carried = content.getMetadata().getAnnotations() == null ? null
        : content.getMetadata().getAnnotations().get(DATA_DELETION_POLICY);
    return carried != null ? carried : content.getSpec().getDeletionPolicy();
  }

  /**
   * Adds a reference to {@code handle}: runs {@code create}, which makes the content {@code content},
   * holding the handle's lock so that no release decides meanwhile.
   *
   * @param cached the contents a cache holds for the handle
   * @param create makes the content, given the policy its data carries: that of the existing
   *     references, else Retain (data Kiln did not make is never deleted by Kiln)
   * @return false, and nothing made, when the last reference to the handle was released to delete
   *     its data a moment ago: a new reference would name data that is going
   */
  public boolean add(String handle, String content, Collection<VolumeSnapshotContent> cached,
      Consumer<String> create) {
    return withLock(handle, () -> {
      prune();
      if (deleting.containsKey(handle)) {
        return false;
      }
      String policy = cached.stream()
          .filter(c -> c.getMetadata().getDeletionTimestamp() == null && handle.equals(handleOf(c)))
          .map(SnapshotReferences::dataPolicyOf).anyMatch(DELETE::equals) ? DELETE : RETAIN;
      made.put(content, new Made(handle, clock.instant()));
      try {
        create.accept(policy);
      } catch (RuntimeException e) {
        made.remove(content);
        throw e;
      }
      return true;
    });
  }

  /**
   * Releases the reference {@code content} is: switches its deletion policy so that deleting it
   * deletes the data only if it is the last reference. The caller deletes it afterwards.
   *
   * @param cached the contents a cache holds for its handle
   * @param setPolicy stores a content's new deletion policy
   * @return whether the data stays, held by other references
   */
  public boolean release(VolumeSnapshotContent content, Collection<VolumeSnapshotContent> cached,
      BiConsumer<VolumeSnapshotContent, String> setPolicy) {
    String handle = handleOf(content);
    String name = content.getMetadata().getName();
    if (handle == null) {
      return false;
    }
    return withLock(handle, () -> {
      prune();
      boolean othersRemain = !live(handle, cached, name).isEmpty();
      String wanted = othersRemain || !DELETE.equals(dataPolicyOf(content)) ? RETAIN : DELETE;
      if (!wanted.equals(content.getSpec().getDeletionPolicy())) {
        setPolicy.accept(content, wanted);
      }
      released.put(name, clock.instant());
      made.remove(name);
      if (!othersRemain && DELETE.equals(wanted)) {
        deleting.put(handle, clock.instant());
      }
      return othersRemain;
    });
  }

  /** Whether this process made the content and has not released it: a cache may not show it yet. */
  public boolean madeRecently(String content) {
    prune();
    return made.containsKey(content);
  }

  private Set<String> live(String handle, Collection<VolumeSnapshotContent> cached, String except) {
    Set<String> names = new HashSet<>();
    for (VolumeSnapshotContent content : cached) {
      if (content.getMetadata().getDeletionTimestamp() == null && handle.equals(handleOf(content))) {
        names.add(content.getMetadata().getName());
      }
    }
    made.forEach((name, recent) -> {
      if (recent.handle().equals(handle)) {
        names.add(name);
      }
    });
    names.remove(except);
    names.removeAll(released.keySet());
    return names;
  }

  private void prune() {
    Instant forgotten = clock.instant().minus(RELEASE_MEMORY);
    released.values().removeIf(at -> at.isBefore(forgotten));
    deleting.values().removeIf(at -> at.isBefore(forgotten));
    made.values().removeIf(recent -> recent.at().isBefore(forgotten));
  }

  private <T> T withLock(String handle, Supplier<T> action) {
    synchronized (lock(handle)) {
      return action.get();
    }
  }

  private Object lock(String handle) {
    return locks.computeIfAbsent(handle, h -> new Object());
  }
}
