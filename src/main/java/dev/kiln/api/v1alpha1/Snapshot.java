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

/** A point-in-time copy of one disk, backed by a CSI VolumeSnapshot of the same name. */
@Group(KilnApi.GROUP)
@Version(KilnApi.VERSION)
// Named, not derived: the client would otherwise work the plural out from the kind for every object it builds.
@Plural("snapshots")
@ShortNames("ksnap")
@Categories(KilnApi.CATEGORY)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@ValidationRule(value = "self.metadata.name.size() <= 63", message = "a Snapshot name is at most 63 characters: it labels its VolumeSnapshot")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Instance", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.source.instance.name")
@AdditionalPrinterColumn(name = "Disk", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.source.instance.disk")
@AdditionalPrinterColumn(name = "Claim", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".spec.source.persistentVolumeClaim.name", priority = 1)
@AdditionalPrinterColumn(name = "Size", type = AdditionalPrinterColumn.Type.STRING, jsonPath = ".status.restoreSize")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE, jsonPath = ".metadata.creationTimestamp")
@JsonClassDescription("A point-in-time copy of one disk (an Instance's disk or a PersistentVolumeClaim), "
    + "backed by a CSI VolumeSnapshot of the same name; a MachineImage is made of Snapshots.")
public class Snapshot extends CustomResource<SnapshotSpec, SnapshotStatus> implements Namespaced {}
