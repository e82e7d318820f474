package dev.runway.operator.application;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Informers;
import dev.runway.operator.migration.MigrationGate;
import dev.runway.operator.migration.MigrationGate.Decision;
import dev.runway.operator.migration.MigrationGate.State;
import dev.runway.operator.migration.MigrationNames;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The Application reconciler's writes for spec.migration: creates the MigrationJob of a new image
 * (once; a 409 means it exists) and deletes MigrationJobs beyond migration.historyLimit. Whether
 * the image waits is {@link MigrationGate}'s decision, an input of the plan ({@link Hold.Migration}).
 */
final class ApplicationMigrations {
    public static final String INFORMER = "migration-jobs";
    private static final Logger LOG = Logger.getLogger(ApplicationMigrations.class);

    private final EventRecorder events;

    ApplicationMigrations(EventRecorder events) {
        this.events = events;
    }

    /** The MigrationJobs Applications made (labelled with their Application's name). */
    static InformerEventSource<MigrationJob, Application> informer(EventSourceContext<Application> context) {
        return new InformerEventSource<>(InformerEventSourceConfiguration.from(MigrationJob.class, Application.class)
                .withName(INFORMER)
                .withLabelSelector(MigrationNames.APPLICATION_LABEL)
                .withSecondaryToPrimaryMapper(mj -> {
                    Map<String, String> labels = mj.getMetadata().getLabels();
                    String app = labels == null ? null : labels.get(MigrationNames.APPLICATION_LABEL);
                    return app == null ? Set.of() : Set.of(new ResourceID(app, mj.getMetadata().getNamespace()));
                })
                .build(), context);
    }

    /** The MigrationJob of spec.image, if it exists (read from the informer). */
    static Optional<MigrationJob> ofImage(Application app, Context<Application> context) {
        if (app.getSpec().migration == null) {
            return Optional.empty();
        }
        return Informers.of(context, MigrationJob.class, INFORMER).get(
                new ResourceID(MigrationNames.forImage(app.getMetadata().getName(), app.getSpec().image), app.getMetadata().getNamespace()));
    }

    /**
     * Creates the MigrationJob the plan waits for, if it does not exist yet, and prunes old ones.
     *
     * @return the decision to plan with instead, when creating showed that a MigrationJob of the
     *         name exists that is not the Application's own; else empty
     */
    Optional<Decision> converge(Application app, ApplicationPlan plan, Context<Application> context) {
        if (app.getSpec().migration == null) {
            return Optional.empty();
        }
        String ns = app.getMetadata().getNamespace();
        Decision decision = plan.hold() instanceof Hold.Migration m ? m.decision() : Decision.NONE;
        Optional<Decision> replanned = Optional.empty();
        if (decision.create() != null) {
            try {
                context.getClient().resource(decision.create()).create();
                events.normal(app, "MigrationStarted", "MigrationJob " + decision.name() + " created for " + decision.image());
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // The name is taken. The informer sees only labelled MigrationJobs: one made by hand
                // without the label is found here, and refused unless it is this Application's own.
                MigrationJob taken = context.getClient().resources(MigrationJob.class).inNamespace(ns).withName(decision.name()).get();
                if (taken != null && !MigrationGate.ownedBy(taken, app)) {
                    decision = MigrationGate.notOwned(app, decision.name(), decision.image());
                    replanned = Optional.of(decision);
                }
            }
        }
        if (decision.state() == State.NOT_OWNED && !refusedBefore(app)) {
            events.warning(app, MigrationGate.NOT_OWNED_REASON, decision.message());
        }
        // Only the Application's own are pruned: a labelled MigrationJob made by hand is never deleted.
        InformerEventSource<MigrationJob, Application> informer = Informers.of(context, MigrationJob.class, INFORMER);
        var owned = informer.list(ns, mj -> app.getMetadata().getName().equals(mj.getMetadata().getLabels().get(MigrationNames.APPLICATION_LABEL))
                && MigrationGate.ownedBy(mj, app))
                .toList();
        for (MigrationJob old : MigrationGate.expired(app, owned)) {
            LOG.debugf("deleting MigrationJob %s/%s beyond migration.historyLimit", ns, old.getMetadata().getName());
            context.getClient().resource(old).delete();
        }
        return replanned;
    }

    private static boolean refusedBefore(Application app) {
        return app.getStatus() != null && ConditionFactory.find(app.getStatus().conditions, ConditionFactory.READY)
                .map(c -> MigrationGate.NOT_OWNED_REASON.equals(c.getReason())).orElse(false);
    }

}
