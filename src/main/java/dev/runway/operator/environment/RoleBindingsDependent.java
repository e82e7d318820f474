package dev.runway.operator.environment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Access;
import dev.runway.operator.common.Hashes;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * One RoleBinding per spec.access entry, to the built-in ClusterRole it names. The name is derived
 * from role and subject, so it is stable across reorderings of the list; a binding whose entry is
 * removed (or whose role changes: roleRef is immutable) is deleted and, if needed, made anew.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class RoleBindingsDependent extends KubernetesDependentResource<RoleBinding, Environment>
        implements CRUDKubernetesBulkDependentResource<RoleBinding, Environment>,
        KubernetesBulkDependentResource<RoleBinding, Environment>, GarbageCollected<Environment> {

    static final String RBAC_GROUP = "rbac.authorization.k8s.io";

    public RoleBindingsDependent() {
        super(RoleBinding.class);
    }

    @Override
    public Map<ResourceID, RoleBinding> desiredResources(Environment env, Context<Environment> context) {
        return build(env, EnvironmentPlan.of(context));
    }

    static Map<ResourceID, RoleBinding> build(Environment env, EnvironmentPlan plan) {
        Map<ResourceID, RoleBinding> bindings = new LinkedHashMap<>();
        List<Access> access = env.getSpec().access == null ? List.of() : env.getSpec().access;
        for (Access entry : access) {
            RoleBinding binding = binding(env, plan, entry);
            bindings.put(ResourceID.fromResource(binding), binding);
        }
        return bindings;
    }

    static RoleBinding binding(Environment env, EnvironmentPlan plan, Access entry) {
        Subject subject = subject(entry, plan.namespace());
        return new RoleBindingBuilder()
                .withNewMetadata()
                    .withName(name(entry.role.name(), subject))
                    .withNamespace(plan.namespace())
                    .withLabels(EnvironmentPlan.labels(env, "access"))
                .endMetadata()
                .withNewRoleRef().withApiGroup(RBAC_GROUP).withKind("ClusterRole").withName(entry.role.name()).endRoleRef()
                .withSubjects(subject)
                .build();
    }

    static Subject subject(Access entry, String namespace) {
        if (entry.group != null) {
            return new SubjectBuilder().withKind("Group").withApiGroup(RBAC_GROUP).withName(entry.group).build();
        }
        if (entry.user != null) {
            return new SubjectBuilder().withKind("User").withApiGroup(RBAC_GROUP).withName(entry.user).build();
        }
        String[] parts = entry.serviceAccount.split("/", 2);
        return parts.length == 2
                ? new SubjectBuilder().withKind("ServiceAccount").withNamespace(parts[0]).withName(parts[1]).build()
                : new SubjectBuilder().withKind("ServiceAccount").withNamespace(namespace).withName(parts[0]).build();
    }

    /** e.g. runway-edit-group-sre-1a2b3c: readable, and unique per role and subject. */
    static String name(String role, Subject subject) {
        String who = subject.getKind() + "/" + (subject.getNamespace() == null ? "" : subject.getNamespace() + "/") + subject.getName();
        String slug = subject.getName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        if (slug.length() > 40) {
            slug = slug.substring(0, 40).replaceAll("-+$", "");
        }
        return "runway-" + role + "-" + subject.getKind().toLowerCase(Locale.ROOT) + (slug.isEmpty() ? "" : "-" + slug) + "-"
                + Hashes.of(role + "\u0000" + who, 6);
    }
}
