package dev.kiln.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

  @Test
  void keepsWhatFitsAndCountsTheRest() {
    BoundedOutput output = new BoundedOutput(5);
    output.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
    output.write("defgh".getBytes(StandardCharsets.UTF_8), 0, 5);
    output.write('i');

    assertEquals("abcde ... (4 more bytes)", output.toString());
  }

  @Test
  void shortOutputIsQuotedWhole() {
    BoundedOutput output = new BoundedOutput(PodExec.OUTPUT_LIMIT);
    output.write("no such filesystem\n".getBytes(StandardCharsets.UTF_8), 0, 19);

    assertEquals("no such filesystem", output.toString());
  }
}
