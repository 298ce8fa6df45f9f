package dev.kiln.operator.instance;

/** The one change to the instance's machine a reconcile makes, if any. */
enum MachineAction {
  NONE,
  CREATE,
  /** Stop: the instance should not run. */
  DELETE_TO_STOP,
  /** The machine crashed or exited: delete it so that a new one starts, as a machine reboots. */
  DELETE_FAILED,
  /** The template or disks changed: replace the machine once. */
  DELETE_CHANGED
}
