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

/** A machine with persistent disks, run by a runtime; it can be stopped and started without losing its disks. */
@Group(KilnApi.GROUP)
@Version(KilnApi.VERSION)
// Named, not derived: the client would otherwise work the plural out from the kind for every object it builds.
@Plural("instances")
@ShortNames("inst")
@Categories(KilnApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@ValidationRule(value = "self.metadata.name.size() <= 63", message = "an Instance name is at most 63 characters: it names its Pod and labels its disks")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Running", type = AdditionalPrinterColumn.Type.BOOLEAN, jsonPath = ".spec.running")
@AdditionalPrinterColumn(name = "Image", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.image.name")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
@JsonClassDescription("A machine with persistent disks (PersistentVolumeClaims) run by a runtime (a Pod); "
    + "it can be stopped and started without losing its disks, launched from a MachineImage by name or family, "
    + "and captured into a MachineImage.")
public class Instance extends CustomResource<InstanceSpec, InstanceStatus> implements Namespaced {}
