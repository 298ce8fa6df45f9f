package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.ImageDisk;
import dev.kiln.api.v1alpha1.ImageReference;
import dev.kiln.api.v1alpha1.Instance;
import dev.kiln.api.v1alpha1.InstanceImageStatus;
import dev.kiln.api.v1alpha1.InstanceSpec;
import dev.kiln.api.v1alpha1.InstanceStatus;
import dev.kiln.api.v1alpha1.LaunchPermission;
import dev.kiln.api.v1alpha1.MachineImage;
import dev.kiln.api.v1alpha1.MachineImageSpec;
import dev.kiln.api.v1alpha1.MachineImageStatus;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Copies of another namespace's snapshots are allowed by the live image and the spec, not by the status. */
class CopyPermissionTest {

  @Test
  void theLaunchedImageThatStillGrantsPermissionMayBeCopied() {
    assertEquals(Optional.empty(), CopyPermission.check(launched("img", "uid-1"), "img-root", List.of(image("uid-1", "team"))));
  }

  @Test
  void everythingElseIsRefusedWithLaunchNotPermitted() {
    assertRefused(CopyPermission.check(launched("img", "uid-1"), "img-root", List.of()), "no longer exists");
    assertRefused(CopyPermission.check(launched("img", "uid-1"), "img-root", List.of(image("uid-2", "team"))), "replaced");
    assertRefused(CopyPermission.check(launched("img", null), "img-root", List.of(image("uid-1", "team"))), "replaced");
    assertRefused(CopyPermission.check(launched("img", "uid-1"), "img-root", List.of(image("uid-1", "others"))),
        "no longer grants");
    assertRefused(CopyPermission.check(launched("img", "uid-1"), "secret-snapshot", List.of(image("uid-1", "team"))),
        "is not one of");
    Instance renamed = launched("img", "uid-1");
    renamed.getSpec().getImage().setName("other");
    assertRefused(CopyPermission.check(renamed, "img-root", List.of(image("uid-1", "team"))), "not the one spec.image names");
    Instance notFromAnImage = launched("img", "uid-1");
    notFromAnImage.getSpec().setImage(null);
    assertRefused(CopyPermission.check(notFromAnImage, "img-root", List.of(image("uid-1", "team"))), "not launched from");
  }

  private static void assertRefused(Optional<Finding> finding, String why) {
    assertEquals(Reasons.LAUNCH_NOT_PERMITTED, finding.orElseThrow().reason());
    assertTrue(finding.get().message().contains(why), finding.get().message());
  }

  private static Instance launched(String image, String uid) {
    Instance instance = new Instance();
    instance.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("team").build());
    InstanceSpec spec = new InstanceSpec();
    ImageReference reference = new ImageReference();
    reference.setName(image);
    reference.setNamespace("images");
    spec.setImage(reference);
    instance.setSpec(spec);
    InstanceImageStatus frozen = new InstanceImageStatus();
    frozen.setNamespace("images");
    frozen.setName(image);
    frozen.setUid(uid);
    InstanceStatus status = new InstanceStatus();
    status.setImage(frozen);
    instance.setStatus(status);
    return instance;
  }

  private static MachineImage image(String uid, String permitted) {
    MachineImage image = new MachineImage();
    image.setMetadata(new ObjectMetaBuilder().withName("img").withNamespace("images").withUid(uid).build());
    MachineImageSpec spec = new MachineImageSpec();
    LaunchPermission permission = new LaunchPermission();
    permission.setNamespaces(List.of(permitted));
    spec.setLaunchPermission(permission);
    image.setSpec(spec);
    MachineImageStatus status = new MachineImageStatus();
    ImageDisk disk = new ImageDisk();
    disk.setName("root");
    disk.setSnapshot("img-root");
    status.setDisks(List.of(disk));
    image.setStatus(status);
    return image;
  }
}
