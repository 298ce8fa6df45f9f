package dev.kiln.operator.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Publishes Kubernetes Events about Kiln objects, so that `kubectl describe` tells what happened.
 * An Event that repeats the object's previous one within ten minutes is not published again, as
 * Kubernetes' own recorder folds repeats: a pass that ran on a stale copy of an object (its status
 * write is then refused and the pass runs again) would otherwise announce the same change twice.
 *
 * <p>As Kubernetes' recorder does, Events are sent in the background: a reconcile does not wait for
 * them, and when the API server is too slow to take them all, the queue is bounded and what does
 * not fit is dropped with a log line rather than holding reconciles back. An Event carries the time
 * it was recorded, so late delivery does not reorder what `kubectl describe` shows.
 */
public final class EventRecorder {

  public static final String CONTROLLER = "kiln.dev/operator";
  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final String INSTANCE_ID = "kiln-" + UUID.randomUUID().toString().substring(0, 8);

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static final int SENDERS = 8;
  private static final int QUEUED = 10_000;
  private static final ExecutorService SENDER = new ThreadPoolExecutor(SENDERS, SENDERS, 0, TimeUnit.MILLISECONDS,
      new ArrayBlockingQueue<>(QUEUED), runnable -> {
        Thread thread = new Thread(runnable, "kiln-event-sender");
        thread.setDaemon(true);
        return thread;
      }, (runnable, executor) -> LOG.warn("too many Events waiting for the API server; one dropped"));

  private static final Duration REPEAT_WINDOW = Duration.ofMinutes(10);
  /** Bounds the memory of previous Events; an object forgotten may see one repeat published. */
  private static final int REMEMBERED = 10_000;

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Published> previous = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Published> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** The last Event about an object: what it said and when. */
  private record Published(String type, String reason, String note, Instant at) {}

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata regarding, String reason, String note) {
    record(regarding, "Normal", reason, note);
  }

  public void warning(HasMetadata regarding, String reason, String note) {
    record(regarding, "Warning", reason, note);
  }

  private final ThreadLocal<List<Runnable>> deferred = new ThreadLocal<>();

  /**
   * Holds back the Events this thread records until {@link Deferral#publish()}: a pass announces what
   * it changed only once the change is stored, so that an operator dying in between loses an Event
   * rather than announcing the change again after its restart.
   */
  public Deferral defer() {
    deferred.set(new ArrayList<>());
    return new Deferral();
  }

  /** Events held back by {@link #defer()}; closing it without publishing drops them. */
  public final class Deferral implements AutoCloseable {

    private Deferral() {}

    public void publish() {
      List<Runnable> held = deferred.get();
      deferred.remove();
      if (held != null) {
        held.forEach(Runnable::run);
      }
    }

    @Override
    public void close() {
      deferred.remove();
    }
  }

  /**
   * Runs {@code action} when the pass's Events go out, once its status is stored (at once outside a
   * deferred pass): for what must count a change once, as its Event announces it once.
   */
  public void onceStored(Runnable action) {
    List<Runnable> held = deferred.get();
    if (held != null) {
      held.add(action);
    } else {
      action.run();
    }
  }

  private void record(HasMetadata regarding, String type, String reason, String note) {
    onceStored(() -> publish(regarding, type, reason, note));
  }

  /** Whether this Event says again what the object's previous one said, recently; else remembers it. */
  synchronized boolean repeats(HasMetadata regarding, String type, String reason, String note) {
    Instant now = Instant.now(clock);
    Published last = previous.get(regarding.getMetadata().getUid());
    if (last != null && last.type().equals(type) && last.reason().equals(reason) && Objects.equals(last.note(), note)
        && now.isBefore(last.at().plus(REPEAT_WINDOW))) {
      return true;
    }
    previous.put(regarding.getMetadata().getUid(), new Published(type, reason, note, now));
    return false;
  }

  private void publish(HasMetadata regarding, String type, String reason, String note) {
    if (repeats(regarding, type, reason, note)) {
      return;
    }
    var event = new EventBuilder()
        .withNewMetadata()
        .withName(regarding.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
            + Integer.toHexString(SEQUENCE.incrementAndGet()))
        .withNamespace(regarding.getMetadata().getNamespace())
        .endMetadata()
        .withType(type)
        .withReason(reason)
        .withAction(reason)
        .withNote(note == null ? "" : note.length() > 1024 ? note.substring(0, 1021) + "..." : note)
        .withEventTime(new MicroTime(MICRO_TIME.format(Instant.now(clock))))
        .withReportingController(CONTROLLER)
        .withReportingInstance(INSTANCE_ID)
        .withRegarding(new ObjectReferenceBuilder()
            .withApiVersion(regarding.getApiVersion())
            .withKind(regarding.getKind())
            .withNamespace(regarding.getMetadata().getNamespace())
            .withName(regarding.getMetadata().getName())
            .withUid(regarding.getMetadata().getUid())
            .withResourceVersion(regarding.getMetadata().getResourceVersion())
            .build())
        .build();
    SENDER.execute(() -> {
      try {
        client.events().v1().events().inNamespace(regarding.getMetadata().getNamespace()).resource(event).create();
      } catch (RuntimeException e) {
        // An event is a courtesy; failing to publish one (the API server away, the client closed as the
        // operator stops) must not fail anything.
        LOG.warnf("cannot publish event %s for %s/%s: %s", reason, regarding.getKind(),
            regarding.getMetadata().getName(), e.getMessage());
      }
    });
  }
}
