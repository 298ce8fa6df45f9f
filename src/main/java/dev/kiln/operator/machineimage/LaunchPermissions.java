package dev.kiln.operator.machineimage;

import dev.kiln.api.v1alpha1.LaunchPermission;
import dev.kiln.api.v1alpha1.MachineImage;

/** Who may launch Instances from an image: its own namespace always, others when its launch permission names them. */
public final class LaunchPermissions {

  private LaunchPermissions() {}

  public static boolean permits(MachineImage image, String namespace) {
    if (namespace.equals(image.getMetadata().getNamespace())) {
      return true;
    }
    LaunchPermission permission = image.getSpec().getLaunchPermission();
    return permission != null && (Boolean.TRUE.equals(permission.getAll())
        || (permission.getNamespaces() != null && permission.getNamespaces().contains(namespace)));
  }
}
