package dev.kiln.operator.support;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One active replica per watched scope: replicas compete for a Lease in the operator's namespace and
 * only its holder reconciles; the others wait to take over. Active in the prod profile, that is
 * when the packaged application runs (not in dev mode or tests).
 */
public class LeaderElectionProducer {

  @ConfigProperty(name = "kiln.leader-election.lease-name", defaultValue = "kiln-operator")
  String leaseName;

  @Produces
  @Singleton
  LeaderElectionConfiguration leaderElection() {
    return new LeaderElectionConfiguration(leaseName);
  }
}
