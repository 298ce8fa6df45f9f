package dev.kiln.operator.storage;

import dev.kiln.api.v1alpha1.VolumeMode;

/**
 * What a persistent disk's claim is made of.
 *
 * @param name claim name
 * @param disk the disk it backs
 * @param size requested size
 * @param storageClassName storage class, null for the cluster default
 * @param volumeMode Filesystem or Block
 * @param volumeSnapshot VolumeSnapshot to restore from, or null for a blank disk
 */
public record ClaimSpec(String name, String disk, String size, String storageClassName, VolumeMode volumeMode,
    String volumeSnapshot) {}
