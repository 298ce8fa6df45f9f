package dev.kiln.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Where an image's disks come from: exactly one of instance, snapshots or image. */
@ValidationRule(value = "(has(self.instance) ? 1 : 0) + (has(self.snapshots) ? 1 : 0) + (has(self.image) ? 1 : 0) == 1", message = "exactly one of source.instance, source.snapshots, source.image")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSource {

  @JsonPropertyDescription("Capture from an Instance (CreateImage).")
  private InstanceSource instance;

  @JsonPropertyDescription("Register from existing Snapshots (RegisterImage).")
  @Size(min = 1, max = 16)
  @ValidationRule(value = "self.all(d, self.exists_one(e, e.name == d.name))", message = "source.snapshots names must be unique")
  @ValidationRule(value = "self.filter(d, has(d.boot) && d.boot).size() <= 1", message = "at most one of source.snapshots can be the boot disk")
  private List<SnapshotDiskSource> snapshots;

  @JsonPropertyDescription("Copy another image (CopyImage).")
  private ImageCopySource image;

  public InstanceSource getInstance() {
    return instance;
  }

  public void setInstance(InstanceSource instance) {
    this.instance = instance;
  }

  public List<SnapshotDiskSource> getSnapshots() {
    return snapshots;
  }

  public void setSnapshots(List<SnapshotDiskSource> snapshots) {
    this.snapshots = snapshots;
  }

  public ImageCopySource getImage() {
    return image;
  }

  public void setImage(ImageCopySource image) {
    this.image = image;
  }
}
