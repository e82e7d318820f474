package dev.runway.operator.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.quarkus.runtime.StartupEvent;

/**
 * Every controller applies its children under one field manager, {@link Labels#MANAGER}. Before,
 * each applied under its own name (application, environment, backuppolicy, migrationjob); a
 * child written by an older version still lists that manager as owner of its fields, and a field
 * Runway stops setting would then never be removed (the old manager keeps owning it). Once at
 * start, this hands the old managers' Apply entries to the new one: renamed where the new manager
 * owns nothing yet, dropped where it does (its apply covered the same fields). A child already
 * migrated is only read. The patch tests the resourceVersion it read: a concurrent write wins and
 * the child keeps its entries until the next start.
 */
@ApplicationScoped
public class FieldManagerMigration {
    static final Set<String> OLD_MANAGERS = Set.of("application", "environment", "backuppolicy", "migrationjob");
    /** The kinds Runway applies (Jobs and MigrationJobs are created, never applied). */
    static final List<String[]> APPLIED = List.of(
            new String[] { "v1", "Namespace" }, new String[] { "v1", "ConfigMap" }, new String[] { "v1", "Service" },
            new String[] { "v1", "Secret" }, new String[] { "v1", "ResourceQuota" }, new String[] { "v1", "LimitRange" },
            new String[] { "apps/v1", "Deployment" }, new String[] { "autoscaling/v2", "HorizontalPodAutoscaler" },
            new String[] { "policy/v1", "PodDisruptionBudget" }, new String[] { "networking.k8s.io/v1", "Ingress" },
            new String[] { "networking.k8s.io/v1", "NetworkPolicy" }, new String[] { "rbac.authorization.k8s.io/v1", "RoleBinding" },
            new String[] { "batch/v1", "CronJob" }, new String[] { "argoproj.io/v1alpha1", "Rollout" },
            new String[] { "argoproj.io/v1alpha1", "AnalysisTemplate" }, new String[] { "monitoring.coreos.com/v1", "ServiceMonitor" },
            new String[] { "monitoring.coreos.com/v1", "PrometheusRule" });
    /** Children listed per request. */
    static final long PAGE = 250;
    private static final Logger LOG = Logger.getLogger(FieldManagerMigration.class);

    void onStart(@Observes StartupEvent event, KubernetesClient client) {
        run(client);
    }

    /** Hands every child's old-manager entries over; returns how many children it patched. */
    public static int run(KubernetesClient client) {
        int migrated = 0;
        for (String[] kind : APPLIED) {
            try {
                // Paged: at a thousand Applications a kind's children would otherwise arrive in one response.
                String next = null;
                do {
                    var page = client.genericKubernetesResources(kind[0], kind[1]).inAnyNamespace()
                            .withLabel(Labels.MANAGED_BY, Labels.MANAGER)
                            .list(new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build());
                    for (GenericKubernetesResource child : page.getItems()) {
                        migrated += migrate(client, child) ? 1 : 0;
                    }
                    next = page.getMetadata() == null ? null : page.getMetadata().getContinue();
                } while (next != null && !next.isEmpty());
            } catch (KubernetesClientException e) {
                // A kind whose CRD is not installed (404), or not listable here: nothing of it to migrate.
                LOG.debugf("field manager migration skipped %s: %s", kind[1], e.getMessage());
            }
        }
        if (migrated > 0) {
            LOG.infof("field manager migration: %d children now owned by %s alone", migrated, Labels.MANAGER);
        }
        return migrated;
    }

    /** The managed-fields entries with the old managers' Apply entries handed over; null when there are none. */
    static List<ManagedFieldsEntry> handedOver(List<ManagedFieldsEntry> entries) {
        if (entries == null || entries.stream().noneMatch(FieldManagerMigration::old)) {
            return null;
        }
        boolean ownerExists = entries.stream().anyMatch(e -> Labels.MANAGER.equals(e.getManager()) && "Apply".equals(e.getOperation())
                && e.getSubresource() == null);
        List<ManagedFieldsEntry> result = new ArrayList<>();
        boolean renamed = false;
        for (ManagedFieldsEntry e : entries) {
            if (!old(e)) {
                result.add(e);
            } else if (!ownerExists && !renamed && e.getSubresource() == null) {
                e.setManager(Labels.MANAGER);
                result.add(e);
                renamed = true;
            }
        }
        return result;
    }

    private static boolean old(ManagedFieldsEntry e) {
        return OLD_MANAGERS.contains(e.getManager()) && "Apply".equals(e.getOperation());
    }

    private static boolean migrate(KubernetesClient client, GenericKubernetesResource child) {
        List<ManagedFieldsEntry> entries = handedOver(child.getMetadata().getManagedFields());
        if (entries == null) {
            return false;
        }
        String patch = client.getKubernetesSerialization().asJson(List.of(
                Map.of("op", "test", "path", "/metadata/resourceVersion", "value", child.getMetadata().getResourceVersion()),
                Map.of("op", "replace", "path", "/metadata/managedFields", "value", entries)));
        try {
            client.genericKubernetesResources(child.getApiVersion(), child.getKind()).inNamespace(child.getMetadata().getNamespace())
                    .withName(child.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON), patch);
            return true;
        } catch (KubernetesClientException e) {
            LOG.infof("field manager migration of %s %s/%s deferred to the next start: %s", child.getKind(),
                    child.getMetadata().getNamespace(), child.getMetadata().getName(), e.getMessage());
            return false;
        }
    }
}
