package dev.kiln.operator.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class OperatorHealthTest {

  @Test
  void aLeaderWithHealthyInformersIsHealthy() {
    var verdict = OperatorHealth.healthy(true, true, true, Set.of());
    assertTrue(verdict.up());
    assertEquals("leader", verdict.data().get("role"));
  }

  @Test
  void aStandbyWaitingForTheLeaseIsHealthySoThatRolloutsGoOn() {
    var verdict = OperatorHealth.healthy(true, true, false, Set.of());
    assertTrue(verdict.up());
    assertEquals("standby", verdict.data().get("role"));
  }

  @Test
  void aLeaderWhoseInformersAreDisconnectedIsNotHealthyAndSaysWhich() {
    var verdict = OperatorHealth.healthy(true, true, true, Set.of("instance/pods", "snapshot/volumesnapshots"));
    assertFalse(verdict.up());
    assertEquals("instance/pods, snapshot/volumesnapshots", verdict.data().get("unhealthy"));
  }

  @Test
  void nothingIsHealthyBeforeTheOperatorStarted() {
    assertFalse(OperatorHealth.healthy(false, false, false, Set.of()).up());
    assertFalse(OperatorHealth.started(false).up());
    assertTrue(OperatorHealth.started(true).up());
  }
}
