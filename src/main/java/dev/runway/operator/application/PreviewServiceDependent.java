package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <app>-preview}: the Service Argo Rollouts points at the new revision before promotion. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class PreviewServiceDependent extends RevisionSelectedService {

    @Override
    String childName(Application app) {
        return ApplicationNames.preview(app);
    }

    @Override
    protected Service desired(Application app, Context<Application> context) {
        return ServiceDependent.keepRevisionKey(app, ServiceDependent.build(app, ApplicationPlan.of(context), ApplicationNames.preview(app), "preview"),
                current(app, context));
    }
}
