package dev.kiln.operator.instance;

/** A reason and a message: why something is as it is, for a condition or an Event. */
record Finding(String reason, String message) {}
