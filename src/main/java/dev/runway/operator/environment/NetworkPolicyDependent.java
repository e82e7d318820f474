package dev.runway.operator.environment;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Isolation;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * {@code runway-isolation}, for networkPolicy SameNamespace: every pod in the namespace accepts
 * ingress only from pods of the same namespace and of the allowFrom namespaces (selected by the
 * {@code kubernetes.io/metadata.name} label the API server puts on every namespace). Egress is
 * not restricted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class NetworkPolicyDependent extends CRUDKubernetesDependentResource<NetworkPolicy, Environment> {
    public static final String NAME = "runway-isolation";
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    public NetworkPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(Environment env, Context<Environment> context) {
        return build(env, EnvironmentPlan.of(context));
    }

    static NetworkPolicy build(Environment env, EnvironmentPlan plan) {
        List<NetworkPolicyPeer> from = new ArrayList<>();
        // An empty podSelector without namespaceSelector: every pod of this namespace.
        from.add(new NetworkPolicyPeerBuilder().withNewPodSelector().endPodSelector().build());
        // Null-safe: JOSDK also builds the desired object to find the one to delete once the field is gone.
        Isolation isolation = env.getSpec().isolation;
        TreeSet<String> allowed = new TreeSet<>(isolation == null || isolation.allowFrom == null ? List.of() : isolation.allowFrom);
        allowed.remove(plan.namespace());
        if (!allowed.isEmpty()) {
            from.add(new NetworkPolicyPeerBuilder().withNamespaceSelector(new LabelSelectorBuilder()
                    .addNewMatchExpression().withKey(NAMESPACE_NAME_LABEL).withOperator("In")
                    .withValues(new ArrayList<>(allowed)).endMatchExpression().build()).build());
        }
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                    .withName(NAME)
                    .withNamespace(plan.namespace())
                    .withLabels(EnvironmentPlan.labels(env, "isolation"))
                .endMetadata()
                .withNewSpec()
                    .withNewPodSelector().endPodSelector()
                    .withPolicyTypes("Ingress")
                    .addNewIngress().withFrom(from).endIngress()
                .endSpec()
                .build();
    }

    /** Only with networkPolicy SameNamespace; None (or unset) deletes the NetworkPolicy. */
    public static class Enabled implements Condition<NetworkPolicy, Environment> {
        @Override
        public boolean isMet(DependentResource<NetworkPolicy, Environment> dependent, Environment env, Context<Environment> context) {
            Isolation isolation = env.getSpec().isolation;
            return isolation != null && isolation.networkPolicy == Isolation.NetworkPolicyMode.SameNamespace;
        }
    }
}
