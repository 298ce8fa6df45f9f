package dev.kiln.operator.support;

import dev.kiln.operator.health.Leadership;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One active replica per watched scope: replicas compete for a Lease in the operator's namespace and
 * only its holder reconciles; the others wait to take over. Active in the prod profile, that is
 * when the packaged application runs (not in dev mode or tests).
 */
public class LeaderElectionProducer {

  @ConfigProperty(name = "kiln.leader-election.lease-name", defaultValue = "kiln-operator")
  String leaseName;

  /** The operator's own namespace (the chart passes it); without it, the client's namespace. */
  @ConfigProperty(name = "kiln.leader-election.lease-namespace")
  Optional<String> leaseNamespace;

  /**
   * A replica that loses the Lease exits, to be restarted as a standby, rather than reconcile beside
   * the new leader. Tests of the packaged application run it in the test JVM, which must live on.
   */
  @ConfigProperty(name = "kiln.leader-election.exit-on-lost-lease", defaultValue = "true")
  boolean exitOnLostLease;

  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection(Leadership leadership) {
    return new LeaderElectionConfiguration(leaseName, leaseNamespace.orElse(null),
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null,
        new LeaderCallbacks(leadership::startedLeading, leadership::stoppedLeading, leader -> { }), exitOnLostLease);
  }
}
