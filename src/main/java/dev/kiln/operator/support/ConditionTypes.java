package dev.kiln.operator.support;

/** The condition types Kiln reports. */
public final class ConditionTypes {

  public static final String READY = "Ready";
  /** True while the object is on its way to what its spec asks (kstatus). */
  public static final String RECONCILING = "Reconciling";
  /** True once the object has failed and will not get there without a change (kstatus). */
  public static final String STALLED = "Stalled";
  /** An unexpected error stopped the last pass; cleared by the next pass that succeeds. */
  public static final String RECONCILE_ERROR = "ReconcileError";
  public static final String DISKS_READY = "DisksReady";
  public static final String IMAGE_RESOLVED = "ImageResolved";
  public static final String HELD = "Held";
  public static final String IN_USE = "InUse";
  public static final String AVAILABLE = "Available";
  public static final String QUIESCED = "Quiesced";
  public static final String SNAPSHOTS_READY = "SnapshotsReady";
  public static final String CHECKED = "Checked";
  public static final String DEPRECATED = "Deprecated";

  private ConditionTypes() {}
}
