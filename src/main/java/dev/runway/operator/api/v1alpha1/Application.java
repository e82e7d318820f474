package dev.runway.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** An application and how it ships: image, config, probes, scaling, rollout, ingress, alerts. */
@Group(Application.GROUP)
@Version(Application.VERSION)
// Not "app": Argo CD's Application has that short name, and kubectl would pick one of the two.
@ShortNames("rapp")
@Categories("runway")
// Declared order is the column order (PrinterColumnOrder); Reason is the Ready condition's, the short cause.
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready")
@AdditionalPrinterColumn(name = "Image", jsonPath = ".status.stableImage")
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url", priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = "size(self.metadata.name) <= 55 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name of an Application must be a DNS-1035 label of at most 55 characters (lower-case letters, digits, '-', starting with a letter): it names the Service and <name>-preview")
public class Application extends CustomResource<ApplicationSpec, ApplicationStatus> implements Namespaced {
    public static final String GROUP = "runway.dev";
    public static final String VERSION = "v1alpha1";

    @Override
    protected ApplicationStatus initStatus() {
        return new ApplicationStatus();
    }
}
