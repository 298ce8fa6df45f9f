package dev.kiln.operator.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.api.v1alpha1.VolumeMode;
import dev.kiln.operator.support.Reasons;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateCheckTest {

  private static final List<PlannedDisk> DISKS = List.of(
      new PlannedDisk("root", "vm-root", true, "1Gi", null, VolumeMode.FILESYSTEM, null, false, true, false, null),
      new PlannedDisk("raw", "vm-raw", false, "1Gi", null, VolumeMode.BLOCK, null, false, true, false, null));

  @Test
  void mountsOfDisksDevicesAndTemplateVolumesAreFine() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .addNewVolume().withName("config").withNewConfigMap().withName("cfg").endConfigMap().endVolume()
        .addNewContainer().withName("app").withImage("nginx")
        .addNewVolumeMount().withName("root").withMountPath("/srv").endVolumeMount()
        .addNewVolumeMount().withName("config").withMountPath("/etc/app").endVolumeMount()
        .addNewVolumeDevice().withName("raw").withDevicePath("/dev/xvdb").endVolumeDevice()
        .endContainer().endSpec().build();

    assertTrue(TemplateCheck.check(template, DISKS).isEmpty());
  }

  @Test
  void mountOfAnUndefinedNameIsAnUnknownDisk() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .addNewInitContainer().withName("init").withImage("busybox")
        .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endInitContainer()
        .addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().build();

    Finding problem = TemplateCheck.check(template, DISKS).orElseThrow();

    assertEquals(Reasons.UNKNOWN_DISK, problem.reason());
    assertTrue(problem.message().contains("container init mounts data"));
  }

  @Test
  void templateVolumeNamedLikeADiskIsAConflict() {
    PodTemplateSpec template = new PodTemplateSpecBuilder().withNewSpec()
        .addNewVolume().withName("root").withNewEmptyDir().endEmptyDir().endVolume()
        .addNewContainer().withName("app").withImage("nginx").endContainer().endSpec().build();

    assertEquals(Reasons.DISK_NAME_CONFLICT, TemplateCheck.check(template, DISKS).orElseThrow().reason());
  }

  @Test
  void templateWithoutContainersIsInvalid() {
    assertEquals(Reasons.INVALID_TEMPLATE,
        TemplateCheck.check(new PodTemplateSpecBuilder().withNewSpec().endSpec().build(), DISKS).orElseThrow().reason());
  }
}
