package dev.runway.operator.environment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.ContainerDefaults;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * {@code runway-container-defaults}: spec.containerDefaults as the request and limit of every
 * container that sets none (LimitRange default and defaultRequest).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class LimitRangeDependent extends CRUDKubernetesDependentResource<LimitRange, Environment> {
    public static final String NAME = "runway-container-defaults";

    public LimitRangeDependent() {
        super(LimitRange.class);
    }

    @Override
    protected LimitRange desired(Environment env, Context<Environment> context) {
        return build(env, EnvironmentPlan.of(context));
    }

    static LimitRange build(Environment env, EnvironmentPlan plan) {
        Map<String, Quantity> amounts = amounts(env.getSpec().containerDefaults);
        return new LimitRangeBuilder()
                .withNewMetadata()
                    .withName(NAME)
                    .withNamespace(plan.namespace())
                    .withLabels(EnvironmentPlan.labels(env, "container-defaults"))
                .endMetadata()
                .withNewSpec()
                    .withLimits(new LimitRangeItemBuilder().withType("Container")
                            .withDefault(amounts).withDefaultRequest(amounts).build())
                .endSpec()
                .build();
    }

    static Map<String, Quantity> amounts(ContainerDefaults defaults) {
        Map<String, Quantity> amounts = new LinkedHashMap<>();
        if (defaults != null) {
            if (defaults.cpu != null) {
                amounts.put("cpu", defaults.cpu);
            }
            if (defaults.memory != null) {
                amounts.put("memory", defaults.memory);
            }
        }
        return amounts;
    }

    /** The API server rewrites quantities (0.5 → 500m): compare amounts, not spellings. */
    @Override
    public Matcher.Result<LimitRange> match(LimitRange actual, Environment env, Context<Environment> context) {
        LimitRange desired = desired(env, context);
        LimitRangeItem want = desired.getSpec().getLimits().get(0);
        List<LimitRangeItem> have = actual.getSpec() == null ? List.of() : actual.getSpec().getLimits();
        boolean same = Quantities.sameLabels(actual, desired) && have.size() == 1
                && "Container".equals(have.get(0).getType())
                && Quantities.sameAmounts(have.get(0).getDefault(), want.getDefault())
                && Quantities.sameAmounts(have.get(0).getDefaultRequest(), want.getDefaultRequest())
                && Quantities.sameAmounts(have.get(0).getMax(), null) && Quantities.sameAmounts(have.get(0).getMin(), null);
        return Matcher.Result.computed(same, desired);
    }

    /** Only with a default set; removing spec.containerDefaults deletes the LimitRange. */
    public static class Enabled implements Condition<LimitRange, Environment> {
        @Override
        public boolean isMet(DependentResource<LimitRange, Environment> dependent, Environment env, Context<Environment> context) {
            return !amounts(env.getSpec().containerDefaults).isEmpty();
        }
    }
}
