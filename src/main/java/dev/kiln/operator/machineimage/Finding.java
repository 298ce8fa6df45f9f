package dev.kiln.operator.machineimage;

/** Why an image cannot go on, or what it waits for: a CamelCase reason and a message for people. */
record Finding(String reason, String message) {}
