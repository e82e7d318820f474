package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * A Service whose selector Argo Rollouts narrows to one revision (the active and preview Services
 * of a blue-green Application).
 *
 * <p>A selector is an atomic map, so the desired one carries the revision key the informer last saw
 * ({@link ServiceDependent#keepRevisionKey}). When Argo switches the Service between that read and
 * Runway's apply, a forced apply would put the old revision back — seen on promotion: traffic went
 * back to the old pods and nothing switched it again until Argo's next resync. Once Argo has set
 * its key, Runway's apply is therefore not forced: a selector Argo changed since the read makes the
 * API server answer 409 (Argo's manager owns the field now), the reconcile is retried from a fresh
 * cache, and a selector nobody changed applies as before.
 */
abstract class RevisionSelectedService extends ApplicationChild<Service> {

    RevisionSelectedService() {
        super(Service.class);
    }

    @Override
    public Service update(Service actual, Service desired, Application app, Context<Application> context) {
        if (!WorkloadConditions.blueGreen(app) || actual.getSpec().getSelector() == null
                || !actual.getSpec().getSelector().containsKey(StrategySwitch.ROLLOUT_HASH)) {
            return super.update(actual, desired, app, context);
        }
        // As JOSDK's own update, owner reference and matching metadata included, without forceConflicts().
        addMetadata(true, actual, desired, app, context);
        return prepare(context, desired, app, "Updating")
                .fieldManager(context.getControllerConfiguration().fieldManager())
                .serverSideApply();
    }
}
