package dev.runway.operator.application;

import java.util.Optional;

import org.jboss.logging.Logger;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Retires the Rollout of an Application that switched from BlueGreen back to RollingUpdate, once
 * its Deployment is available, in an order that never leaves the Service without pods:
 * <ol>
 * <li>delete the Rollout, orphaning its ReplicaSets (their pods keep serving);</li>
 * <li>remove Argo's revision key from the active Service's selector, so it selects every pod of
 * the Application (the Deployment's and the orphans);</li>
 * <li>delete the orphaned ReplicaSets.</li>
 * </ol>
 * Each step is idempotent, so an interruption is finished by the next reconcile.
 */
final class StrategySwitch {
    static final String ROLLOUT_HASH = "rollouts-pod-template-hash";
    static final String ARGO_MANAGED = "argo-rollouts.argoproj.io/managed-by-rollouts";
    private static final Logger LOG = Logger.getLogger(StrategySwitch.class);

    private StrategySwitch() {
    }

    /**
     * @param service the active Service from the informer cache
     * @return whether anything was done (the caller records an event)
     */
    static boolean retireRollout(KubernetesClient client, Application app, Optional<Rollout> rollout, Optional<Deployment> deployment,
            Optional<Service> service) {
        boolean argoMarks = service.map(StrategySwitch::markedByArgo).orElse(false);
        if (WorkloadConditions.usesRollout(app) || (rollout.isEmpty() && !argoMarks)
                || !WorkloadConditions.deploymentAvailable(deployment)) {
            return false;
        }
        String namespace = app.getMetadata().getNamespace();
        String name = app.getMetadata().getName();
        if (rollout.isPresent()) {
            client.resources(Rollout.class).inNamespace(namespace).withName(name)
                    .withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        }
        var services = client.services().inNamespace(namespace).withName(name);
        if (service.map(s -> s.getSpec().getSelector() != null && s.getSpec().getSelector().containsKey(ROLLOUT_HASH)).orElse(false)) {
            services.patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/spec/selector/" + ROLLOUT_HASH + "\"}]");
        }
        // The Service now selects the Deployment's pods too: the old revision's pods can go.
        for (var rs : client.apps().replicaSets().inNamespace(namespace).withLabel(Labels.INSTANCE, name).withLabel(ROLLOUT_HASH)
                .list().getItems()) {
            LOG.debugf("deleting ReplicaSet %s/%s of the retired Rollout", namespace, rs.getMetadata().getName());
            client.resource(rs).delete();
        }
        // Last: while this mark remains, a later reconcile finishes an interrupted switch.
        if (service.map(s -> s.getMetadata().getAnnotations() != null && s.getMetadata().getAnnotations().containsKey(ARGO_MANAGED))
                .orElse(false)) {
            services.patch(PatchContext.of(PatchType.JSON),
                    "[{\"op\":\"remove\",\"path\":\"/metadata/annotations/" + ARGO_MANAGED.replace("/", "~1") + "\"}]");
        }
        return true;
    }

    private static boolean markedByArgo(Service service) {
        return service.getSpec().getSelector() != null && service.getSpec().getSelector().containsKey(ROLLOUT_HASH)
                || service.getMetadata().getAnnotations() != null && service.getMetadata().getAnnotations().containsKey(ARGO_MANAGED);
    }
}
