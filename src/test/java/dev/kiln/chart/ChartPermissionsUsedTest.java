package dev.kiln.chart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.testing.AuditLog;
import dev.kiln.testing.ChartRelease;
import dev.kiln.testing.TestEnvironment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Least privilege, proven: every permission the chart grants the operator was needed by some test,
 * and no test met a refusal. Runs after every other test (its own Maven execution) over the audit
 * logs their API servers kept of the operator's requests, and writes which test needed which
 * permission to target/audit/chart-permissions.md.
 */
class ChartPermissionsUsedTest {

  /** One grant: a verb on a resource of an API group. */
  record Permission(String apiGroup, String resource, String verb) {
    @Override
    public String toString() {
      return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource;
    }
  }

  /**
   * Permissions the API server or the operator's framework checks without a request of their own in
   * the audit log, or that the operator uses only when a race makes it, each with what needs it.
   */
  static final Map<Permission, String> CHECKED_WITHOUT_A_REQUEST = Map.of(
      new Permission("coordination.k8s.io", "leases", "update"),
      "the Java Operator SDK asks for it (a SelfSubjectRulesReview) before it competes for the Lease, and refuses to "
          + "start without it: OperatorApplicationTest",
      new Permission("", "pods/exec", "create"),
      "Kubernetes 1.35+ authorises exec over WebSocket as create too (KEP-4006, AuthorizePodWebsocketUpgradeCreatePermission); "
          + "1.34 logs it as get: OperatorApplicationTest freezeCommandsGoThroughPodExecWithTheChartsPermissions",
      new Permission("", "persistentvolumes", "get"),
      "volumes are read from an informer cache; only a volume the cache has not seen yet (bound a moment ago) is "
          + "asked of the API server, since its absence would fail a snapshot for good; whether a test hits that "
          + "moment is a matter of timing");

  private final List<AuditLog.Request> requests = AuditLog.read();

  @Test
  void everyPermissionTheChartGrantsTheOperatorIsNeededBySomeTest() throws IOException {
    assertFalse(requests.isEmpty(), "no audit log in " + TestEnvironment.auditDir() + ": run the whole suite (./mvnw verify)");
    Map<Permission, Set<String>> users = new LinkedHashMap<>();
    for (Permission permission : granted()) {
      Set<String> by = requests.stream().filter(r -> matches(permission, r))
          .map(AuditLog.Request::source)
          .collect(Collectors.toCollection(TreeSet::new));
      if (CHECKED_WITHOUT_A_REQUEST.containsKey(permission)) {
        by.add(CHECKED_WITHOUT_A_REQUEST.get(permission));
      }
      users.put(permission, by);
    }
    writeReport(users);
    List<Permission> unused = users.entrySet().stream().filter(e -> e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    assertTrue(unused.isEmpty(), "the chart grants permissions no test needed; remove them from helm/kiln/templates "
        + "(or add the test that needs them): " + unused);
  }

  @Test
  void rbacNeverRefusedTheOperator() {
    List<AuditLog.Request> refused = requests.stream().filter(r -> !r.authorized()).toList();
    assertTrue(refused.isEmpty(), "the API server refused the operator: grant these in helm/kiln/templates: " + refused);
  }

  /** The rules of the roles the default install binds to the operator's ServiceAccount, one verb and resource at a time. */
  private static List<Permission> granted() {
    List<Permission> permissions = new ArrayList<>();
    for (HasMetadata object : new ChartRelease().objects()) {
      List<PolicyRule> rules = object instanceof ClusterRole role && !isForPeople(role) ? role.getRules()
          : object instanceof Role role ? role.getRules() : List.of();
      for (PolicyRule rule : rules) {
        for (String group : rule.getApiGroups()) {
          for (String resource : rule.getResources()) {
            for (String verb : rule.getVerbs()) {
              permissions.add(new Permission(group, resource, verb));
            }
          }
        }
      }
    }
    return permissions;
  }

  private static boolean isForPeople(ClusterRole role) {
    return role.getMetadata().getLabels().keySet().stream().anyMatch(l -> l.startsWith("rbac.authorization.k8s.io/aggregate-to-"));
  }

  private static boolean matches(Permission permission, AuditLog.Request request) {
    return permission.apiGroup().equals(request.apiGroup()) && permission.resource().equals(request.resource())
        && permission.verb().equals(request.verb());
  }

  private static void writeReport(Map<Permission, Set<String>> users) throws IOException {
    StringBuilder report = new StringBuilder("| permission | needed by (test classes) |\n|---|---|\n");
    users.forEach((permission, by) -> report.append("| ").append(permission).append(" | ")
        .append(by.isEmpty() ? "**nothing**" : by.stream().limit(3).collect(Collectors.joining("; "))
            + (by.size() > 3 ? "; and " + (by.size() - 3) + " more" : ""))
        .append(" |\n"));
    Files.writeString(TestEnvironment.auditDir().resolve("chart-permissions.md"), report);
  }
}
