package dev.runway.operator.migration;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.application.ApplicationPlan;
import dev.runway.operator.application.ApplicationStatusFactory;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Informers;
import dev.runway.operator.migration.MigrationGate.Decision;
import dev.runway.operator.migration.MigrationGate.State;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * The Application reconciler's side of spec.migration: creates the MigrationJob for a new image
 * (once; a 409 means it exists), deletes MigrationJobs beyond migration.historyLimit, holds the
 * image back through the plan while {@link MigrationGate} says so, and adds the migration to the
 * Application's status.
 */
public class ApplicationMigrations {
    public static final String INFORMER = "migration-jobs";
    private static final Logger LOG = Logger.getLogger(ApplicationMigrations.class);

    private final ConditionFactory conditions;
    private final EventRecorder events;

    public ApplicationMigrations(Clock clock, EventRecorder events) {
        this.conditions = new ConditionFactory(clock);
        this.events = events;
    }

    /** The MigrationJobs Applications made (labelled with their Application's name). */
    public static InformerEventSource<MigrationJob, Application> informer(EventSourceContext<Application> context) {
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

    /** Decides the gate for {@code plan}, creating the image's MigrationJob and pruning old ones. */
    public Decision gate(Application app, ApplicationPlan plan, Context<Application> context) {
        if (app.getSpec().migration == null) {
            return Decision.NONE;
        }
        String ns = app.getMetadata().getNamespace();
        InformerEventSource<MigrationJob, Application> informer = Informers.of(context, MigrationJob.class, INFORMER);
        Optional<MigrationJob> existing = informer.get(
                new ResourceID(MigrationNames.forImage(app.getMetadata().getName(), app.getSpec().image), ns));
        Decision decision = MigrationGate.check(app, plan.missingSecrets().isEmpty() ? plan.image() : null, existing);
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
                }
            }
        }
        if (decision.state() == State.NOT_OWNED && !refusedBefore(app)) {
            events.warning(app, MigrationGate.NOT_OWNED_REASON, decision.message());
        }
        // Only the Application's own are pruned: a labelled MigrationJob made by hand is never deleted.
        var owned = informer.list(ns, mj -> app.getMetadata().getName().equals(mj.getMetadata().getLabels().get(MigrationNames.APPLICATION_LABEL))
                && MigrationGate.ownedBy(mj, app))
                .toList();
        for (MigrationJob old : MigrationGate.expired(app, owned)) {
            LOG.debugf("deleting MigrationJob %s/%s beyond migration.historyLimit", ns, old.getMetadata().getName());
            context.getClient().resource(old).delete();
        }
        return decision;
    }

    private static boolean refusedBefore(Application app) {
        return app.getStatus() != null && ConditionFactory.find(app.getStatus().conditions, ConditionFactory.READY)
                .map(c -> MigrationGate.NOT_OWNED_REASON.equals(c.getReason())).orElse(false);
    }

    /** The plan with spec.image held back: the serving image keeps running (none on a first rollout). */
    public static ApplicationPlan apply(ApplicationPlan plan, Decision decision, Application app) {
        if (!decision.hold()) {
            return plan;
        }
        String stable = app.getStatus() == null ? null : app.getStatus().stableImage;
        return plan.holding(stable, decision.message());
    }

    /**
     * The Application's status with the migration in it: status.migration always; while the image
     * is held, phase Migrating (Degraded once the migration failed) and the summary conditions.
     */
    public ApplicationStatus contribute(ApplicationStatus status, Decision decision, Application app) {
        if (decision.state() == State.NOT_APPLICABLE) {
            return status;
        }
        long generation = app.getMetadata().getGeneration();
        status.migration = MigrationGate.ref(decision);
        boolean succeeded = decision.state() == State.SUCCEEDED;
        conditions.set(status.conditions, MigrationGate.MIGRATION_SUCCEEDED, succeeded,
                succeeded ? "MigrationSucceeded" : decision.state() == State.FAILED ? "MigrationFailed" : decision.state() == State.NOT_OWNED ? MigrationGate.NOT_OWNED_REASON : "Migrating",
                decision.message(), generation);
        if (succeeded) {
            return status;
        }
        boolean failed = decision.state() == State.FAILED;
        boolean notOwned = decision.state() == State.NOT_OWNED;
        boolean stuck = failed || notOwned || decision.state() == State.STALLED;
        status.phase = failed ? ApplicationStatus.Phase.Degraded : ApplicationStatus.Phase.Migrating;
        String reason = failed ? "MigrationFailed" : notOwned ? MigrationGate.NOT_OWNED_REASON : stuck ? "MigrationStalled" : "Migrating";
        var list = status.conditions;
        conditions.set(list, ConditionFactory.READY, false, reason, decision.message(), generation);
        conditions.set(list, ApplicationStatusFactory.PROGRESSING, !stuck, reason, decision.message(), generation);
        conditions.set(list, ApplicationStatusFactory.DEGRADED, stuck, reason, decision.message(), generation);
        conditions.set(list, ConditionFactory.RECONCILING, !stuck, reason, decision.message(), generation);
        conditions.set(list, ConditionFactory.STALLED, stuck, reason, decision.message(), generation);
        return status;
    }
}
