package dev.runway.operator.application;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Annotations;
import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.BackupPolicySpec.Database.Engine;
import dev.runway.operator.api.v1alpha1.ConditionTypes;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreSpec;
import dev.runway.operator.application.RollbackDecision.Method;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.CreateOnce;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.OneShotAnnotations;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.migration.MigrationJobFactory;
import dev.runway.operator.migration.MigrationNames;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Carries out {@code runway.dev/rollback} ({@link RollbackDecision} decides). An accepted request is
 * recorded in the status the reconcile starts from, before planning: {@code status.failedRevision}
 * names spec.image and its configuration, and {@code status.stableImage} the image put back, so the
 * planner holds the revision exactly as after an automatic rollback ({@link Hold.FailedRevision}) and
 * the workload serves that image again. The annotation stays until a later reconcile finds the
 * rollback in the status read from the API server (as runway.dev/promote does), so a status write
 * that fails cannot lose a rollback the workload already acted on. The data step's Job or Restore
 * has a name derived from the MigrationJob and is created once (a 409 is an earlier reconcile's).
 */
final class RollbackLever {
    static final String IN_PROGRESS = "InProgress";
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";
    /** How soon a rollback under way looks at its Job or Restore again (neither is watched by this controller). */
    static final Duration RECHECK = Duration.ofSeconds(5);

    private final Clock clock;
    private final EventRecorder events;
    private final ConditionFactory conditions;

    RollbackLever(Clock clock, EventRecorder events) {
        this.clock = clock;
        this.events = events;
        this.conditions = new ConditionFactory(clock);
    }

    /**
     * @param replan  the status the plan starts from changed: plan again
     * @param settled the annotation can be removed now
     */
    record Pulled(boolean replan, boolean settled) {
        static final Pulled NOTHING = new Pulled(false, false);
    }

    /** Acts on the annotation, if set; see the class comment. */
    Pulled pull(Application app, ApplicationPlan plan, Optional<MigrationJob> migrationJob) {
        if (!OneShotAnnotations.has(app, Annotations.ROLLBACK)) {
            return Pulled.NOTHING;
        }
        RollbackDecision.Outcome outcome = RollbackDecision.decide(app, plan.configHash(), migrationJob);
        ApplicationStatus status = StatusSupport.copy(app.getStatus(), ApplicationStatus.class);
        status = status == null ? new ApplicationStatus() : status;
        long generation = app.getMetadata().getGeneration();
        if (outcome instanceof RollbackDecision.Recorded) {
            return new Pulled(false, true);
        }
        if (outcome instanceof RollbackDecision.Refused refused) {
            // Like an accepted request, the refusal is in the status read back before the annotation goes:
            // removing it first would make this reconcile's status write conflict, and the refusal be lost.
            boolean recorded = ConditionFactory.find(status.conditions, ConditionTypes.ROLLBACK)
                    .filter(c -> RollbackDecision.REFUSED.equals(c.getReason()) && refused.message().equals(c.getMessage())).isPresent();
            if (recorded) {
                return new Pulled(false, true);
            }
            events.warning(app, RollbackDecision.REFUSED, refused.message());
            conditions.set(status.conditions, ConditionTypes.ROLLBACK, false, RollbackDecision.REFUSED, refused.message(), generation);
            app.setStatus(status);
            return new Pulled(false, false);
        }
        var accepted = (RollbackDecision.Accepted) outcome;
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        var failed = new ApplicationStatus.FailedRevision();
        failed.image = app.getSpec().image;
        failed.configHash = plan.configHash();
        failed.reason = RollbackDecision.REQUESTED;
        failed.failedAt = now;
        status.failedRevision = failed;
        status.stableImage = accepted.toImage();
        if (!status.history.isEmpty() && failed.image.equals(status.history.get(0).image)) {
            status.history.get(0).outcome = "RolledBack";
        }
        var rollback = new ApplicationStatus.Rollback();
        rollback.requestedAt = now;
        rollback.requested = app.getMetadata().getAnnotations().get(Annotations.ROLLBACK);
        rollback.image = failed.image;
        rollback.configHash = failed.configHash;
        rollback.toImage = accepted.toImage();
        rollback.outcome = IN_PROGRESS;
        var data = new ApplicationStatus.RollbackData();
        data.method = accepted.method().name();
        if (accepted.migrationJob() != null) {
            data.migrationJob = accepted.migrationJob().getMetadata().getName();
            data.phase = "Pending";
        }
        switch (accepted.method()) {
            case Command -> data.job = RollbackDecision.jobName(accepted.migrationJob());
            case Restore -> data.restore = RollbackDecision.restoreName(app, accepted.migrationJob());
            case None -> data.message = accepted.note();
        }
        rollback.data = data;
        rollback.message = "rolling " + failed.image + " back to " + accepted.toImage() + dataWords(data);
        status.rollback = rollback;
        conditions.set(status.conditions, ConditionTypes.ROLLBACK, false, "RollbackInProgress", rollback.message, generation);
        events.normal(app, "RollbackStarted", Annotations.ROLLBACK + "=" + rollback.requested + ": " + rollback.message);
        app.setStatus(status);
        return new Pulled(true, false);
    }

    /**
     * While a rollback is under way: creates its Job or Restore (once), reads how far it got, and
     * settles the one outcome once the image serves and the data is back (or failed).
     *
     * @param imageBack the workload serves status.rollback.toImage, fully rolled out
     * @return whether it is still under way (look again soon)
     */
    boolean track(KubernetesClient client, ApplicationStatus status, Application app, ApplicationPlan plan, boolean imageBack,
            Optional<MigrationJob> migrationJob) {
        var rollback = status.rollback;
        if (rollback == null || !IN_PROGRESS.equals(rollback.outcome)) {
            return false;
        }
        var data = rollback.data;
        // A new spec.image ends the image part: what serves is that image's rollout now, not this rollback's.
        boolean movedOn = !rollback.image.equals(app.getSpec().image);
        boolean serving = movedOn || (imageBack && rollback.toImage.equals(plan.image()));
        if (data != null && !Method.None.name().equals(data.method) && !"Succeeded".equals(data.phase) && !"Failed".equals(data.phase)) {
            Optional<MigrationJob> mj = migrationJob.filter(m -> m.getMetadata().getName().equals(data.migrationJob));
            if (Method.Command.name().equals(data.method)) {
                command(client, app, data, mj);
            } else {
                restore(client, app, data, mj);
            }
        }
        long generation = app.getMetadata().getGeneration();
        if (data != null && "Failed".equals(data.phase)) {
            rollback.outcome = FAILED;
            rollback.message = rollback.toImage + (serving ? " serves again" : " is being rolled out") + ", but the data step failed: "
                    + data.message + ". The database needs a human" + (data.safetyBackup == null ? "" : " (safety backup " + data.safetyBackup + ")") + ".";
            conditions.set(status.conditions, ConditionTypes.ROLLBACK, false, "RollbackFailed", rollback.message, generation);
            events.warning(app, "RollbackFailed", rollback.message);
            return false;
        }
        boolean dataBack = data == null || Method.None.name().equals(data.method) || "Succeeded".equals(data.phase);
        if (serving && dataBack) {
            rollback.outcome = SUCCEEDED;
            rollback.message = rollback.image + " rolled back: " + (movedOn ? "spec.image changed since" : rollback.toImage + " serves")
                    + dataWords(data);
            conditions.set(status.conditions, ConditionTypes.ROLLBACK, true, "RollbackSucceeded", rollback.message, generation);
            events.normal(app, "RollbackSucceeded", rollback.message);
            return false;
        }
        return true;
    }

    private static void command(KubernetesClient client, Application app, ApplicationStatus.RollbackData data, Optional<MigrationJob> mj) {
        String ns = app.getMetadata().getNamespace();
        Job job = client.batch().v1().jobs().inNamespace(ns).withName(data.job).get();
        if (job == null) {
            if (mj.isEmpty()) {
                fail(data, "MigrationJob " + data.migrationJob + " is gone; its rollback Job " + data.job + " was never created");
                return;
            }
            Optional<Engine> engine = engineOf(client, mj.get());
            if (engine.isEmpty()) {
                fail(data, "the engine of MigrationJob " + data.migrationJob + " is unknown (its migration Job is gone)");
                return;
            }
            CreateOnce.create(client, MigrationJobFactory.rollback(mj.get(), engine.get()));
            data.phase = "Running";
            return;
        }
        var s = job.getStatus();
        if (s != null && s.getSucceeded() != null && s.getSucceeded() > 0) {
            data.phase = "Succeeded";
            data.message = "rollback Job " + data.job + " completed";
        } else if (s != null && s.getConditions() != null && s.getConditions().stream()
                .anyMatch(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))) {
            fail(data, "rollback Job " + data.job + " failed (kubectl logs job/" + data.job + ")");
        } else {
            data.phase = "Running";
        }
    }

    /** The engine the migration ran against, from its Job's DATABASE_ENGINE: the Secret's values are never read here. */
    static Optional<Engine> engineOf(KubernetesClient client, MigrationJob mj) {
        Job migrate = client.batch().v1().jobs().inNamespace(mj.getMetadata().getNamespace()).withName(MigrationNames.migrateJob(mj)).get();
        if (migrate == null) {
            return Optional.empty();
        }
        return migrate.getSpec().getTemplate().getSpec().getContainers().stream().flatMap(c -> c.getEnv().stream())
                .filter(e -> "DATABASE_ENGINE".equals(e.getName()) && e.getValue() != null).findFirst()
                .map(e -> Engine.valueOf(e.getValue()));
    }

    private static void restore(KubernetesClient client, Application app, ApplicationStatus.RollbackData data, Optional<MigrationJob> mj) {
        String ns = app.getMetadata().getNamespace();
        Restore restore = client.resources(Restore.class).inNamespace(ns).withName(data.restore).get();
        if (restore == null) {
            if (mj.isEmpty()) {
                fail(data, "MigrationJob " + data.migrationJob + " is gone; Restore " + data.restore + " was never created");
                return;
            }
            CreateOnce.create(client, restoreOf(app, mj.get(), data.restore));
            data.phase = "Running";
            return;
        }
        var s = restore.getStatus();
        if (s != null && s.safetyBackup != null && s.safetyBackup.name != null) {
            data.safetyBackup = s.safetyBackup.name;
        }
        if (s != null && s.phase == dev.runway.operator.api.v1alpha1.RestoreStatus.Phase.Succeeded) {
            data.phase = "Succeeded";
            data.message = "Restore " + data.restore + " put back " + s.rows + " rows in " + s.tables + " tables from backup "
                    + (s.backup == null ? "?" : s.backup.name);
        } else if (s != null && s.phase == dev.runway.operator.api.v1alpha1.RestoreStatus.Phase.Failed) {
            fail(data, "Restore " + data.restore + " failed: " + s.message);
        } else {
            data.phase = "Running";
        }
    }

    /** The in-place Restore of the MigrationJob's pinned pre-migration backup, owned by the Application. */
    static Restore restoreOf(Application app, MigrationJob mj, String name) {
        Restore restore = new Restore();
        restore.getMetadata().setName(name);
        restore.getMetadata().setNamespace(app.getMetadata().getNamespace());
        restore.getMetadata().setLabels(new java.util.TreeMap<>(java.util.Map.of(MigrationNames.APPLICATION_LABEL, app.getMetadata().getName())));
        restore.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion(app.getApiVersion())
                .withKind(app.getKind()).withName(app.getMetadata().getName()).withUid(app.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build()));
        RestoreSpec spec = new RestoreSpec();
        spec.backupPolicy = mj.getSpec().backup.policy;
        spec.backup = new RestoreSpec.BackupSelector();
        spec.backup.select = RestoreSpec.BackupSelector.Select.PreMigration;
        spec.backup.migrationJob = mj.getMetadata().getName();
        spec.target = new RestoreSpec.Target();
        spec.target.inPlace = true;
        spec.target.replaceExistingData = true;
        restore.setSpec(spec);
        restore.setStatus(null);
        return restore;
    }

    private static void fail(ApplicationStatus.RollbackData data, String message) {
        data.phase = "Failed";
        data.message = message;
    }

    private static String dataWords(ApplicationStatus.RollbackData data) {
        if (data == null || Method.None.name().equals(data.method)) {
            return data == null || data.message == null ? "" : "; data left as it is: " + data.message;
        }
        return Method.Command.name().equals(data.method)
                ? "; data: rollback command of MigrationJob " + data.migrationJob + " (Job " + data.job + ")"
                        + (data.phase == null ? "" : ", " + data.phase)
                : "; data: pre-migration backup of MigrationJob " + data.migrationJob + " restored in place (Restore " + data.restore
                        + (data.safetyBackup == null ? "" : ", safety backup " + data.safetyBackup) + ")"
                        + (data.phase == null ? "" : ", " + data.phase);
    }
}
