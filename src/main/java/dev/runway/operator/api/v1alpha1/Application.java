package dev.runway.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An application and how it ships: image, config, probes, scaling, rollout, ingress, alerts. */
@Group(Application.GROUP)
@Version(Application.VERSION)
@ShortNames("app")
@Categories("runway")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Image", jsonPath = ".status.stableImage")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Application extends CustomResource<ApplicationSpec, ApplicationStatus> implements Namespaced {
    public static final String GROUP = "runway.dev";
    public static final String VERSION = "v1alpha1";

    @Override
    protected ApplicationStatus initStatus() {
        return new ApplicationStatus();
    }
}
