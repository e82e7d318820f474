package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** {@code <app>-preview}: the Service Argo Rollouts points at the new revision before promotion. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class PreviewServiceDependent extends RevisionSelectedService {

    @Override
    String childName(Application app) {
        return ApplicationNames.preview(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return WorkloadConditions.blueGreen(app);
    }

    @Override
    public Service planned(Application app, ApplicationPlan plan) {
        return ServiceDependent.build(app, plan, ApplicationNames.preview(app), "preview");
    }

    @Override
    protected Service desired(Application app, Context<Application> context) {
        return ServiceDependent.keepRevisionKey(app, ServiceDependent.build(app, ApplicationPlan.of(context), ApplicationNames.preview(app), "preview"),
                current(app, context));
    }
}
