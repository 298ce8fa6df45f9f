package dev.kiln.api.v1alpha1;

/** Names that identify Kiln's API. */
public final class KilnApi {
  public static final String GROUP = "kiln.dev";
  public static final String VERSION = "v1alpha1";
  public static final String CATEGORY = "kiln";

  private KilnApi() {}
}
