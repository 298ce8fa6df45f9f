package dev.kiln.operator.support;

import java.util.Map;

/** The labels on everything Kiln creates: who manages it and which Kiln object owns it. */
public final class Labels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_KILN = "kiln";
  public static final String INSTANCE = "kiln.dev/instance";
  public static final String IMAGE = "kiln.dev/image";
  public static final String SNAPSHOT = "kiln.dev/snapshot";
  public static final String DISK = "kiln.dev/disk";
  /** On the first snapshots of a two-phase capture, which go once the image is made. */
  public static final String PRE_SNAPSHOT = "kiln.dev/pre-snapshot";
  /** On the images an ImagePolicy made: the policy. */
  public static final String IMAGE_POLICY = "kiln.dev/image-policy";

  private Labels() {}

  public static Map<String, String> ownedBy(String ownerLabel, String ownerName) {
    return Map.of(MANAGED_BY, MANAGED_BY_KILN, ownerLabel, ownerName);
  }
}
