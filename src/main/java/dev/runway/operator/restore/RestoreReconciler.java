package dev.runway.operator.restore;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreStatus;
import dev.runway.operator.backup.BackupJobs;
import dev.runway.operator.migration.JobOutcome;
import dev.runway.operator.backup.BackupNames;
import dev.runway.operator.backup.VolumeUsers;
import dev.runway.operator.common.CreateOnce;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Informers;
import dev.runway.operator.common.Shard;
import dev.runway.operator.common.SharedSecrets;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.restore.RestorePhases.Facts;
import dev.runway.operator.restore.RestorePhases.Outcome;
import dev.runway.operator.restore.RestorePhases.Step;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;

/**
 * Runs a Restore: checks its inputs, takes the safety backup first when it restores in place, then
 * creates the restore Job once and copies its report into status. Jobs are created, never patched
 * (a 409 means an earlier reconcile made it), and only while no other Job of the policy uses the
 * backup volume. The steps come from {@link RestorePhases}, the status from {@link RestoreStatusFactory}.
 */
@ControllerConfiguration(name = RestoreReconciler.NAME, fieldManager = dev.runway.operator.common.Labels.MANAGER)
public class RestoreReconciler implements ConfigurableReconciler<Restore> {
    public static final String NAME = "restore";
    static final String POLICY_JOBS = "restore-policy-jobs";
    static final String PODS = "restore-pods";
    static final String POLICIES = "restore-backup-policies";
    static final String MIGRATIONS = "restore-migration-jobs";
    static final String SECRETS = "restore-database-secrets";
    /** Missing inputs are announced by their informers; this is the safety net. */
    static final Duration STALLED_RECHECK = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(RestoreReconciler.class);

    private final RestoreStatusFactory statusFactory;
    private final BackupJobs backupJobs;
    private final EventRecorder events;
    private final Shard shard;
    private final SharedSecrets sharedSecrets;

    public RestoreReconciler(Shard shard, Clock clock, BackupJobs backupJobs, EventRecorder events, SharedSecrets sharedSecrets) {
        this.shard = shard;
        this.sharedSecrets = sharedSecrets;
        this.statusFactory = new RestoreStatusFactory(clock);
        this.backupJobs = backupJobs;
        this.events = events;
    }

    /** Its informer selects this shard's Restores only. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<Restore> configuration) {
        shard.select(configuration);
    }

    @Override
    public List<EventSource<?, Restore>> prepareEventSources(EventSourceContext<Restore> context) {
        // Every Job that uses a policy's volume carries the policy's label (the Restore's own ones too):
        // a Restore waiting for the volume hears when the Job in its way finishes.
        var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, Restore.class)
                .withName(POLICY_JOBS).withLabelSelector(BackupNames.POLICY_LABEL)
                .withSecondaryToPrimaryMapper(j -> byPolicyOrRestore(context, j))
                .build(), context);
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, Restore.class)
                .withName(PODS).withLabelSelector(RestoreNames.RESTORE_LABEL)
                .withSecondaryToPrimaryMapper(RestoreReconciler::byRestoreLabel).build(), context);
        var policies = new InformerEventSource<>(InformerEventSourceConfiguration.from(BackupPolicy.class, Restore.class)
                .withName(POLICIES)
                .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache()
                        .list(p.getMetadata().getNamespace(), r -> p.getMetadata().getName().equals(r.getSpec().backupPolicy))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((Restore r) -> Set.of(new ResourceID(r.getSpec().backupPolicy, r.getMetadata().getNamespace())))
                .build(), context);
        var migrations = new InformerEventSource<>(InformerEventSourceConfiguration.from(MigrationJob.class, Restore.class)
                .withName(MIGRATIONS)
                .withSecondaryToPrimaryMapper(mj -> context.getPrimaryCache()
                        .list(mj.getMetadata().getNamespace(), r -> r.getSpec().backup != null
                                && mj.getMetadata().getName().equals(r.getSpec().backup.migrationJob))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((Restore r) -> r.getSpec().backup == null || r.getSpec().backup.migrationJob == null ? Set.of()
                        : Set.of(new ResourceID(r.getSpec().backup.migrationJob, r.getMetadata().getNamespace())))
                .build(), context);
        // The policies' database Secrets: only their existence matters; values never stay in the cache.
        var secrets = sharedSecrets.source(SECRETS, context,
                s -> context.getPrimaryCache().list(s.getMetadata().getNamespace()).map(ResourceID::fromResource).collect(Collectors.toSet()),
                (Restore r) -> Set.<ResourceID>of());
        return List.of(jobs, pods, policies, migrations, secrets);
    }

    private static Set<ResourceID> byRestoreLabel(HasMetadata child) {
        Map<String, String> labels = child.getMetadata().getLabels();
        String restore = labels == null ? null : labels.get(RestoreNames.RESTORE_LABEL);
        return restore == null ? Set.of() : Set.of(new ResourceID(restore, child.getMetadata().getNamespace()));
    }

    /** A Job of a Restore maps to it; any other Job of a policy to the unfinished Restores of that policy (they may wait for it). */
    private static Set<ResourceID> byPolicyOrRestore(EventSourceContext<Restore> context, Job job) {
        Set<ResourceID> mine = byRestoreLabel(job);
        String policy = job.getMetadata().getLabels().get(BackupNames.POLICY_LABEL);
        Set<ResourceID> waiting = context.getPrimaryCache().list(job.getMetadata().getNamespace(), r -> policy.equals(r.getSpec().backupPolicy)
                && (r.getStatus() == null || r.getStatus().phase == null || r.getStatus().phase == RestoreStatus.Phase.Pending))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
        if (mine.isEmpty()) {
            return waiting;
        }
        Set<ResourceID> all = new java.util.HashSet<>(waiting);
        all.addAll(mine);
        return all;
    }

    @Override
    public UpdateControl<Restore> reconcile(Restore restore, Context<Restore> context) {
        Facts facts = facts(restore, context);
        Step step = RestorePhases.decide(restore, facts);
        switch (step.action()) {
            case CREATE_SAFETY_BACKUP -> create(context, backupJobs.onDemand(facts.policy().get(), RestoreNames.safetyBackupJob(restore), true,
                    "before in-place restore " + restore.getMetadata().getName(),
                    Map.of(RestoreNames.RESTORE_LABEL, restore.getMetadata().getName(), BackupNames.TRIGGER_LABEL, "restore")));
            case CREATE_RESTORE -> create(context, backupJobs.restoreJob(facts.policy().get(), RestoreNames.restoreJob(restore),
                    restoreEnv(restore, step), RestoreNames.restoreJobLabels(restore, facts.policy().get()), restore,
                    restore.getSpec().timeoutSeconds));
            case NONE -> { }
        }
        RestoreStatus status = statusFactory.status(restore, step);
        if (status.phase == RestoreStatus.Phase.Succeeded && restore.getSpec().switchApplication != null && status.target != null
                && status.target.database != null && facts.policy().isPresent()) {
            status.dataSwitch = DataSwitches.switchTo(context.getClient(), restore, facts.policy().get(), status.target.database);
            if (restore.getStatus() == null || restore.getStatus().dataSwitch == null) {
                events.normal(restore, "SwitchedApplication", "Application " + status.dataSwitch.application + " reads database "
                        + status.dataSwitch.database + " (ConfigMap " + status.dataSwitch.configMap + " after Secret " + status.dataSwitch.secret
                        + "); " + status.dataSwitch.undo);
            }
        }
        UpdateControl<Restore> control = StatusSupport.write(restore, status, statusFactory.transitions(restore.getStatus(), status), events,
                context);
        return step.outcome() == Outcome.STALLED ? control.rescheduleAfter(STALLED_RECHECK) : control;
    }

    /** The RESTORE_* variables of restore.sh; the connection comes from the policy's Secret by reference. */
    static Map<String, String> restoreEnv(Restore restore, Step step) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RESTORE_BACKUP", step.backup() == null ? "" : step.backup());
        boolean inPlace = RestorePhases.inPlace(restore.getSpec());
        env.put("RESTORE_IN_PLACE", String.valueOf(inPlace));
        if (inPlace) {
            env.put("RESTORE_REPLACE_EXISTING_DATA", String.valueOf(Boolean.TRUE.equals(restore.getSpec().target.replaceExistingData)));
            env.put("RESTORE_SAFETY_BACKUP", step.safety() == null ? "" : step.safety().name);
        } else {
            env.put("RESTORE_TARGET", RestoreNames.targetDatabase(restore));
        }
        return env;
    }

    private Facts facts(Restore restore, Context<Restore> context) {
        String ns = restore.getMetadata().getNamespace();
        var spec = restore.getSpec();
        Optional<BackupPolicy> policy = Informers.of(context, BackupPolicy.class, POLICIES).get(new ResourceID(spec.backupPolicy, ns));
        Optional<Secret> secret = policy.flatMap(p -> Informers.secrets(context, SECRETS)
                .get(new ResourceID(p.getSpec().database.secretRef, ns)));
        Optional<MigrationJob> mj = spec.backup == null || spec.backup.migrationJob == null ? Optional.empty()
                : Informers.of(context, MigrationJob.class, MIGRATIONS).get(new ResourceID(spec.backup.migrationJob, ns));
        var jobs = Informers.of(context, Job.class, POLICY_JOBS);
        String restoreJob = RestoreNames.restoreJob(restore);
        String safetyJob = RestoreNames.safetyBackupJob(restore);
        Optional<Job> restoreJobNow = jobs.get(new ResourceID(restoreJob, ns));
        boolean gone = false;
        RestoreStatus status = restore.getStatus();
        if (restoreJobNow.isEmpty() && status != null && status.job != null && status.phase != RestoreStatus.Phase.Succeeded
                && status.phase != RestoreStatus.Phase.Failed) {
            // The status says it was made; the informer may just not have seen it yet. Ask the API server.
            restoreJobNow = Optional.ofNullable(context.getClient().batch().v1().jobs().inNamespace(ns).withName(restoreJob).get());
            gone = restoreJobNow.isEmpty();
        }
        List<Pod> pods = Informers.of(context, Pod.class, PODS)
                .list(ns, p -> restore.getMetadata().getName().equals(p.getMetadata().getLabels().get(RestoreNames.RESTORE_LABEL))).toList();
        Optional<Job> busy = VolumeUsers.busy(jobs.list(ns, j -> spec.backupPolicy.equals(j.getMetadata().getLabels().get(BackupNames.POLICY_LABEL)))
                .toList(), Set.of(restoreJob, safetyJob));
        return new Facts(policy, secret, mj, restoreJobNow, JobOutcome.podsOf(pods, restoreJob), gone,
                jobs.get(new ResourceID(safetyJob, ns)), JobOutcome.podsOf(pods, safetyJob), busy);
    }


    /** Creates a Job once (its name is derived from the Restore; a taken name is an earlier reconcile's). */
    private static void create(Context<Restore> context, Job job) {
        CreateOnce.create(context.getClient(), job);
    }

    @Override
    public ErrorStatusUpdateControl<Restore> updateErrorStatus(Restore restore, Context<Restore> context, Exception e) {
        return StatusSupport.onError(restore, e, message -> statusFactory.error(restore, message), events, LOG);
    }
}
