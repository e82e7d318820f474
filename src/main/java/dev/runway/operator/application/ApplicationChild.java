package dev.runway.operator.application;

import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * A child of an Application with a name known from the Application alone. JOSDK would otherwise
 * find its target by building the desired object, which fails for a child whose feature is off
 * (it is being deleted) and costs a full build on every lookup.
 */
abstract class ApplicationChild<R extends HasMetadata> extends CRUDKubernetesDependentResource<R, Application>
        implements PlannedChild<R> {

    ApplicationChild(Class<R> type) {
        super(type);
    }

    /** The child's name in the Application's namespace. */
    abstract String childName(Application app);

    /** The child as the informer has it now (without building the desired object). */
    Optional<R> current(Application app, Context<Application> context) {
        return eventSource().flatMap(source -> source.get(targetSecondaryResourceID(app, context)));
    }

    @Override
    protected ResourceID targetSecondaryResourceID(Application app, Context<Application> context) {
        return new ResourceID(childName(app), app.getMetadata().getNamespace());
    }
}
