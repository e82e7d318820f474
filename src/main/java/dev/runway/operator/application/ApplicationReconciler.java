package dev.runway.operator.application;

import java.time.Clock;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.common.StatusSupport;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;

/** Converges an Application's children; the graph is declared here, each child built by its dependent. */
@ControllerConfiguration(name = "application")
@Workflow(dependents = {
        @Dependent(name = "deployment", type = DeploymentDependent.class),
        @Dependent(name = "service", type = ServiceDependent.class),
})
public class ApplicationReconciler implements Reconciler<Application> {

    private final ApplicationStatusFactory statusFactory;

    public ApplicationReconciler(Clock clock) {
        this.statusFactory = new ApplicationStatusFactory(clock);
    }

    @Override
    public UpdateControl<Application> reconcile(Application app, Context<Application> context) {
        ApplicationStatus status = statusFactory.fromDeployment(app, context.getSecondaryResource(Deployment.class),
                ConfigHash.of(app, context));
        if (StatusSupport.sameStatus(app.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        app.setStatus(status);
        return UpdateControl.patchStatus(app);
    }
}
