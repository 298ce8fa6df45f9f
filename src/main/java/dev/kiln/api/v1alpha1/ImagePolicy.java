package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Bakes MachineImages from an Instance on a schedule and retires the old ones (AWS Data Lifecycle Manager). */
@Group(KilnApi.GROUP)
@Version(KilnApi.VERSION)
// Named, not derived: the client would otherwise work the plural out from the kind for every object it builds.
@Plural("imagepolicies")
@ShortNames("ipol")
@Categories(KilnApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@ValidationRule(value = "self.metadata.name.size() <= 47", message = "an ImagePolicy name is at most 47 characters: its images are named <policy>-<yyyymmdd-hhmmss>")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Schedule", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.schedule")
@AdditionalPrinterColumn(name = "Last", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.lastImage")
@AdditionalPrinterColumn(name = "Next", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.nextScheduleTime")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
@JsonClassDescription("Bakes a MachineImage from an Instance on a cron schedule, never two at once, and retires the "
    + "policy's older images (deprecated, then deregistered) by count and age.")
public class ImagePolicy extends CustomResource<ImagePolicySpec, ImagePolicyStatus> implements Namespaced {}
