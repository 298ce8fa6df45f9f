package dev.kiln.operator.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContentBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Which deletion policy a released reference gets, by what else references the same data. */
class SnapshotReferencesTest {

  private static final String HANDLE = "snap-1";

  private final Map<String, String> policies = new ConcurrentHashMap<>();
  private final SnapshotReferences references = new SnapshotReferences(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

  @Test
  void theOriginalIsKeptAsRetainWhileACopyRemainsAndTheCopyDeletesTheDataLast() {
    VolumeSnapshotContent original = cut("snapcontent-1", "Delete");
    VolumeSnapshotContent copy = copy("kiln-copy", "Delete");

    assertTrue(references.release(original, List.of(original, copy), this::record), "the copy holds the data");
    assertEquals("Retain", policies.get("snapcontent-1"));

    assertFalse(references.release(copy, List.of(original, copy), this::record), "a released original is not counted");
    assertEquals("Delete", policies.get("kiln-copy"), "the last reference deletes the data it was cut to delete");
  }

  @Test
  void dataCutUnderARetainClassOrBroughtInIsNeverDeleted() {
    VolumeSnapshotContent original = cut("snapcontent-1", "Retain");
    VolumeSnapshotContent copy = copy("kiln-copy", "Retain");

    assertTrue(references.release(copy, List.of(original, copy), this::record));
    assertFalse(references.release(original, List.of(original), this::record));
    assertEquals(Map.of(), policies, "both were Retain already");
  }

  @Test
  void aCopyTakesTheDataPolicyOfTheReferencesItJoinsAndCountsBeforeAnyCacheShowsIt() {
    VolumeSnapshotContent original = cut("snapcontent-1", "Delete");
    String[] made = new String[1];

    assertTrue(references.add(HANDLE, "kiln-copy", List.of(original), policy -> made[0] = policy));
    assertEquals("Delete", made[0]);
    assertTrue(references.add("snap-unknown", "kiln-import", List.of(), policy -> made[0] = policy));
    assertEquals("Retain", made[0], "data Kiln did not cut is not deleted by Kiln");

    assertTrue(references.release(original, List.of(original), this::record), "the copy counts though no cache shows it");
    assertEquals("Retain", policies.get("snapcontent-1"));
  }

  @Test
  void noReferenceIsAddedToDataWhoseLastReferenceWasJustReleased() {
    VolumeSnapshotContent original = cut("snapcontent-1", "Delete");
    assertFalse(references.release(original, List.of(original), this::record));

    assertFalse(references.add(HANDLE, "kiln-late", List.of(original), policy -> {
      throw new AssertionError("made a reference to data that is going");
    }));
  }

  @Test
  void aReferenceThatIsReleasedIsNotCountedAgainWhileACacheStillShowsIt() {
    VolumeSnapshotContent a = copy("kiln-a", "Delete");
    VolumeSnapshotContent b = copy("kiln-b", "Delete");
    assertTrue(references.release(a, List.of(a, b), this::record));
    assertFalse(references.release(b, List.of(a, b), this::record), "a is gone whatever the cache says");
    assertEquals("Delete", policies.get("kiln-b"));
  }

  @Test
  void twoReleasesAtOnceNeverBothKeepTheData() throws Exception {
    for (int round = 0; round < 200; round++) {
      SnapshotReferences shared = new SnapshotReferences(Clock.systemUTC());
      Map<String, String> set = new ConcurrentHashMap<>();
      VolumeSnapshotContent a = copy("kiln-a-" + round, "Delete");
      VolumeSnapshotContent b = copy("kiln-b-" + round, "Delete");
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        Future<Boolean> first = threads.submit(() -> {
          start.await();
          return shared.release(a, List.of(a, b), (c, p) -> set.put(c.getMetadata().getName(), p));
        });
        Future<Boolean> second = threads.submit(() -> {
          start.await();
          return shared.release(b, List.of(a, b), (c, p) -> set.put(c.getMetadata().getName(), p));
        });
        start.countDown();
        boolean firstKept = first.get(10, TimeUnit.SECONDS);
        boolean secondKept = second.get(10, TimeUnit.SECONDS);
        assertTrue(firstKept != secondKept, "exactly one of them is the last reference");
        assertTrue(set.containsValue("Delete"), "the last one deletes the data");
      } finally {
        threads.shutdownNow();
      }
    }
  }

  private void record(VolumeSnapshotContent content, String policy) {
    policies.put(content.getMetadata().getName(), policy);
  }

  private static VolumeSnapshotContent cut(String name, String classPolicy) {
    return new VolumeSnapshotContentBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withDeletionPolicy(classPolicy).withDriver("d").withNewSource().withVolumeHandle("vol").endSource().endSpec()
        .withNewStatus().withSnapshotHandle(HANDLE).endStatus()
        .build();
  }

  private static VolumeSnapshotContent copy(String name, String dataPolicy) {
    return new VolumeSnapshotContentBuilder()
        .withNewMetadata().withName(name).addToAnnotations(SnapshotReferences.DATA_DELETION_POLICY, dataPolicy).endMetadata()
        .withNewSpec().withDeletionPolicy("Retain").withDriver("d").withNewSource().withSnapshotHandle(HANDLE).endSource().endSpec()
        .build();
  }
}
