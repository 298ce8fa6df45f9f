package dev.kiln.operator.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first bytes a command writes and counts the rest: what a condition message quotes of a
 * command's output must not grow with whatever the command prints.
 */
final class BoundedOutput extends OutputStream {

  private final int limit;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private long dropped;

  BoundedOutput(int limit) {
    this.limit = limit;
  }

  @Override
  public synchronized void write(int b) {
    if (kept.size() < limit) {
      kept.write(b);
    } else {
      dropped++;
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    int room = Math.max(0, Math.min(length, limit - kept.size()));
    kept.write(bytes, offset, room);
    dropped += length - room;
  }

  @Override
  public synchronized String toString() {
    String text = kept.toString(StandardCharsets.UTF_8).strip();
    return dropped == 0 ? text : text + " ... (" + dropped + " more bytes)";
  }
}
