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

/** The snapshots of all of a machine's disks plus what is needed to launch it again. */
@Group(KilnApi.GROUP)
@Version(KilnApi.VERSION)
// Named, not derived: the client would otherwise work the plural out from the kind for every object it builds.
@Plural("machineimages")
@ShortNames("mi")
@Categories(KilnApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@ValidationRule(value = "self.metadata.name.size() <= 63", message = "a MachineImage name is at most 63 characters: it labels its snapshots")
@ValidationRule(value = "!has(self.spec) || !has(self.spec.check) || !has(self.spec.check.enabled) || !self.spec.check.enabled || self.metadata.name.size() <= 57", message = "with check.enabled a MachineImage name is at most 57 characters: its check Instance is named <image>-check")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Family", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.family")
@AdditionalPrinterColumn(name = "Source", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.source.instance")
@AdditionalPrinterColumn(name = "Storage", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.storage")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
@JsonClassDescription("A machine image: the Snapshots of all of a machine's disks plus what is needed to launch it "
    + "(disk mapping, the instance template pinned by digest, platform). Made from an Instance or registered from "
    + "Snapshots; Instances launch from it by name or by family.")
public class MachineImage extends CustomResource<MachineImageSpec, MachineImageStatus> implements Namespaced {}
