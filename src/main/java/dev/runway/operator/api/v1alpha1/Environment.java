package dev.runway.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A stage (development, staging, production, ...): its namespace and what every Application in it inherits. */
@Group(Application.GROUP)
@Version(Application.VERSION)
@ShortNames("env")
@Categories("runway")
@ValidationRule(value = "!has(self.spec.promotion) || !has(self.spec.promotion.from) || self.spec.promotion.from != self.metadata.name",
        message = "spec.promotion.from must name another Environment, not this one", fieldPath = ".spec.promotion.from")
@ValidationRule(value = "!(has(self.spec.namespace) ? self.spec.namespace : self.metadata.name).startsWith('kube-')"
        + " && (has(self.spec.namespace) ? self.spec.namespace : self.metadata.name) != 'default'",
        message = "spec.namespace (default: metadata.name) must not be default or a kube-* namespace: they belong to the cluster itself",
        fieldPath = ".spec.namespace")
// The name is the namespace's when spec.namespace is unset, and the runway.dev/environment label's value on every child.
@ValidationRule(value = "size(self.metadata.name) <= 63 && self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name of an Environment must be a DNS label of at most 63 characters (lower-case letters, digits, '-'): it names the namespace (unless spec.namespace is set) and is the runway.dev/environment label of every child")
@AdditionalPrinterColumn(name = "Tier", jsonPath = ".spec.tier")
@AdditionalPrinterColumn(name = "Namespace", jsonPath = ".status.namespace")
@AdditionalPrinterColumn(name = "Apps Ready", jsonPath = ".status.appsReady")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Environment extends CustomResource<EnvironmentSpec, EnvironmentStatus> {
    @Override
    protected EnvironmentStatus initStatus() {
        return new EnvironmentStatus();
    }
}
