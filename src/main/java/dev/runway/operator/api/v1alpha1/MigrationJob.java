package dev.runway.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
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
