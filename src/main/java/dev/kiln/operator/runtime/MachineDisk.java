package dev.kiln.operator.runtime;

/**
 * A disk as the runtime wires it into the machine: a claim to attach, or an empty scratch volume.
 *
 * @param name the disk name containers mount
 * @param claimName the PersistentVolumeClaim of a persistent disk, null for an ephemeral one
 * @param ephemeralSize size limit of an ephemeral disk, may be null
 */
public record MachineDisk(String name, String claimName, String ephemeralSize) {

  public boolean ephemeral() {
    return claimName == null;
  }
}
