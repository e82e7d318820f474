package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * A Service whose selector Argo Rollouts narrows to one revision (the active and preview Services
 * of a blue-green Application).
 *
 * <p>A selector is an atomic map. Once Argo has set its revision key, the desired Service leaves the
 * selector to Argo ({@link ServiceDependent#keepRevisionKey}). A forced apply that carried a selector
 * read before one of Argo's switches would put the old revision back — seen on promotion: traffic
 * went back to the old pods and nothing switched it again until Argo's next resync. Once Argo has set
 * its key, Runway's apply is therefore also not forced: should a selector still be in it, the API
 * server answers 409 (Argo's manager owns the field) and the reconcile is retried from a fresh cache.
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
