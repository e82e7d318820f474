package dev.runway.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One database migration: backup first, then migrate, and roll back on failure. Immutable once created. */
@Group(Application.GROUP)
@Version(Application.VERSION)
@ShortNames("mj")
@Categories("runway")
// The name is the value of the runway.dev/migration-job and app.kubernetes.io/name labels on its Jobs and pods.
@ValidationRule(value = "size(self.metadata.name) <= 63",
        message = "metadata.name of a MigrationJob must be at most 63 characters: it is the runway.dev/migration-job label of its Jobs and pods")
@AdditionalPrinterColumn(name = "Application", jsonPath = ".spec.application")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Image", jsonPath = ".spec.image")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class MigrationJob extends CustomResource<MigrationJobSpec, MigrationJobStatus> implements Namespaced {
    @Override
    protected MigrationJobStatus initStatus() {
        return new MigrationJobStatus();
    }
}
