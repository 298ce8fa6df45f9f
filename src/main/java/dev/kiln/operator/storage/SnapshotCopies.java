package dev.kiln.operator.storage;

import dev.kiln.operator.support.Labels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshot;
import io.fabric8.volumesnapshot.api.model.VolumeSnapshotContent;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Namespace-local copies of a snapshot that lives in another namespace: a pre-provisioned
 * VolumeSnapshotContent with the same snapshot handle, bound to a new VolumeSnapshot here that
 * claims can be restored from. Each copy is a reference to the data (see {@link SnapshotReferences}):
 * the original's image may be deregistered while a copy is still being restored from, and the data
 * then stays until the copy lets go. The copies belong to the Instance that needed them and go with it.
 */
public final class SnapshotCopies {

  /** Label on a copy's content: the namespace of the Instance it serves (contents are cluster-scoped). */
  public static final String INSTANCE_NAMESPACE = "kiln.dev/instance-namespace";

  private final KubernetesClient client;
  private final SnapshotReferences references;
  private final VolumeSnapshots volumeSnapshots;

  public SnapshotCopies(KubernetesClient client, SnapshotReferences references) {
    this.client = client;
    this.references = references;
    this.volumeSnapshots = new VolumeSnapshots(client, references);
  }

  /** The name of the content behind a copy; unique in the cluster, as the owner's uid is. */
  public static String contentName(HasMetadata owner, String copyName) {
    String disk = copyName.substring(owner.getMetadata().getName().length() + 1);
    return ("kiln-" + owner.getMetadata().getUid() + "-" + disk).toLowerCase(Locale.ROOT);
  }

  /**
   * Creates the copy {@code copyName} of a snapshot with {@code handle} of {@code driver}; "already
   * exists" is success.
   *
   * @param contents the contents a cache holds for the handle
   * @param made told the copy's VolumeSnapshot when this call made it
   * @return false, and nothing made, when the data is being deleted
   */
  public boolean create(HasMetadata owner, String ownerLabel, String copyName, String driver, String handle,
      String volumeMode, Collection<VolumeSnapshotContent> contents, Consumer<VolumeSnapshot> made) {
    Map<String, String> labels = Labels.ownedBy(ownerLabel, owner.getMetadata().getName());
    Map<String, String> contentLabels = new HashMap<>(labels);
    contentLabels.put(INSTANCE_NAMESPACE, owner.getMetadata().getNamespace());
    return volumeSnapshots.bindToHandle(owner, copyName, labels, contentName(owner, copyName), contentLabels, driver, handle,
        volumeMode, contents, made);
  }

  /**
   * Deletes the named copies made for the owner, each letting go of its reference to the data.
   * Contents are found by name, never by label: they are cluster-scoped, and a label-selected delete
   * is one wrong label away from other namespaces' data.
   *
   * @param contents the cached content of a name, if any
   * @param byHandle the cached contents of a handle
   * @return false when a content made a moment ago is not in the cache yet: whether its data goes is
   *     decided once it is, and the caller comes back
   */
  public boolean delete(HasMetadata owner, Collection<String> copyNames, Function<String, VolumeSnapshotContent> contents,
      Function<String, Collection<VolumeSnapshotContent>> byHandle) {
    String namespace = owner.getMetadata().getNamespace();
    boolean done = true;
    for (String copyName : copyNames) {
      String name = contentName(owner, copyName);
      VolumeSnapshotContent content = contents.apply(name);
      if (content != null) {
        volumeSnapshots.delete(namespace, copyName, content, byHandle.apply(SnapshotReferences.handleOf(content)));
      } else if (references.madeRecently(name)) {
        done = false;
      } else {
        // Never made (the caches are complete but for what this process made a moment ago).
        client.resources(VolumeSnapshot.class).inNamespace(namespace).withName(copyName).delete();
      }
    }
    return done;
  }
}
