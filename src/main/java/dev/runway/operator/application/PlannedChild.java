package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/**
 * A child of an Application whose presence and content follow from the Application and its plan.
 * The child says itself whether it is wanted: its reconcile precondition ({@link Wanted}) asks, and
 * so does the golden test, which builds every wanted child of the workflow from {@link #planned} (a
 * new dependent gets golden files without anyone listing it).
 */
interface PlannedChild<R extends HasMetadata> {

    /** Whether the Application wants this child, given its spec and plan. */
    boolean wanted(Application app, ApplicationPlan plan);

    /** The child as planned: what desired() applies, before anything is kept from the live object. */
    R planned(Application app, ApplicationPlan plan);

    /** The reconcile precondition of a planned child: the child's own {@link #wanted}. */
    class Wanted<R extends HasMetadata> implements Condition<R, Application> {
        @Override
        public boolean isMet(DependentResource<R, Application> dependent, Application app, Context<Application> context) {
            return ((PlannedChild<?>) dependent).wanted(app, ApplicationPlan.of(context));
        }
    }
}
