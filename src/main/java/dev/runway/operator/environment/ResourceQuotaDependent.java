package dev.runway.operator.environment;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Quota;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** {@code runway-quota}: spec.quota as a ResourceQuota (requests.cpu, requests.memory, pods). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class ResourceQuotaDependent extends CRUDKubernetesDependentResource<ResourceQuota, Environment> {
    public static final String NAME = "runway-quota";

    public ResourceQuotaDependent() {
        super(ResourceQuota.class);
    }

    @Override
    protected ResourceQuota desired(Environment env, Context<Environment> context) {
        return build(env, EnvironmentPlan.of(context));
    }

    static ResourceQuota build(Environment env, EnvironmentPlan plan) {
        return new ResourceQuotaBuilder()
                .withNewMetadata()
                    .withName(NAME)
                    .withNamespace(plan.namespace())
                    .withLabels(EnvironmentPlan.labels(env, "quota"))
                .endMetadata()
                .withNewSpec().withHard(hard(env.getSpec().quota)).endSpec()
                .build();
    }

    static Map<String, Quantity> hard(Quota quota) {
        Map<String, Quantity> hard = new LinkedHashMap<>();
        if (quota != null) {
            if (quota.cpu != null) {
                hard.put("requests.cpu", quota.cpu);
            }
            if (quota.memory != null) {
                hard.put("requests.memory", quota.memory);
            }
            if (quota.pods != null) {
                hard.put("pods", quota.pods);
            }
        }
        return hard;
    }

    /** The API server rewrites quantities (0.5 → 500m): compare amounts, not spellings. */
    @Override
    public Matcher.Result<ResourceQuota> match(ResourceQuota actual, Environment env, Context<Environment> context) {
        ResourceQuota desired = desired(env, context);
        boolean same = Quantities.sameLabels(actual, desired)
                && Quantities.sameAmounts(actual.getSpec() == null ? null : actual.getSpec().getHard(), desired.getSpec().getHard());
        return Matcher.Result.computed(same, desired);
    }

    /** Only with at least one amount; removing spec.quota deletes the ResourceQuota. */
    public static class Enabled implements Condition<ResourceQuota, Environment> {
        @Override
        public boolean isMet(DependentResource<ResourceQuota, Environment> dependent, Environment env, Context<Environment> context) {
            return !hard(env.getSpec().quota).isEmpty();
        }
    }
}
