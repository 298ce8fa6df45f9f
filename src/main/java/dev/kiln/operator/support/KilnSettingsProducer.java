package dev.kiln.operator.support;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Reads {@link KilnSettings} from the Quarkus configuration. */
public class KilnSettingsProducer {

  @ConfigProperty(name = "kiln.snapshot.default-deadline", defaultValue = "24h")
  String snapshotDeadline;

  @ConfigProperty(name = "kiln.image.default-failure-deadline", defaultValue = "24h")
  String imageFailureDeadline;

  @Produces
  @Singleton
  KilnSettings settings() {
    return new KilnSettings(Durations.parse(snapshotDeadline), Durations.parse(imageFailureDeadline));
  }
}
