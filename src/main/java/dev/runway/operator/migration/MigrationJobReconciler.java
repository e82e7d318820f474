package dev.runway.operator.migration;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.MigrationJobStatus;
import dev.runway.operator.backup.BackupJobs;
import dev.runway.operator.backup.BackupNames;
import dev.runway.operator.backup.VolumeUsers;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.CreateOnce;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Informers;
import dev.runway.operator.common.Shard;
import dev.runway.operator.common.SharedSecrets;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.common.TierDefaults;
import dev.runway.operator.migration.MigrationPhases.Facts;
import dev.runway.operator.migration.MigrationPhases.Step;
import dev.runway.operator.monitoring.OperatorMetrics;
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
 * Runs a MigrationJob: the pinned backup through its BackupPolicy, then the migration Job, then
 * (after a failure, when a rollback command is set) the rollback Job. Every Job is created once,
 * with a name derived from the MigrationJob, and never patched; a 409 on create means an earlier
 * reconcile already made it. The phase comes from {@link MigrationPhases}, the status from
 * {@link MigrationStatusFactory}.
 */
@ControllerConfiguration(name = MigrationJobReconciler.NAME, fieldManager = dev.runway.operator.common.Labels.MANAGER)
public class MigrationJobReconciler implements ConfigurableReconciler<MigrationJob> {
    public static final String NAME = "migrationjob";
    static final String JOBS = "migration-jobs";
    static final String PODS = "migration-pods";
    static final String POLICIES = "migration-backup-policies";
    static final String SECRETS = "migration-database-secrets";
    static final String ENVIRONMENTS = "migration-environments";
    /** A missing Secret or policy is announced by its informer; this is the safety net. */
    static final Duration STALLED_RECHECK = Duration.ofSeconds(30);
    /** How soon a backup that waits for the policy's volume looks again (the Job in its way is not watched here). */
    static final Duration VOLUME_RECHECK = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(MigrationJobReconciler.class);

    /** The rollback window of a pre-migration backup when spec.backup.pinDays is not set. */
    static final int DEFAULT_PIN_DAYS = 7;

    private final Clock clock;
    private final MigrationStatusFactory statusFactory;
    private final BackupJobs backupJobs;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final Shard shard;
    private final SharedSecrets sharedSecrets;

    public MigrationJobReconciler(Shard shard, Clock clock, BackupJobs backupJobs, EventRecorder events, OperatorMetrics metrics, SharedSecrets sharedSecrets) {
        this.shard = shard;
        this.sharedSecrets = sharedSecrets;
        this.metrics = metrics;
        this.clock = clock;
        this.statusFactory = new MigrationStatusFactory(clock);
        this.backupJobs = backupJobs;
        this.events = events;
    }

    /** Its informer selects this shard's MigrationJobs only. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<MigrationJob> configuration) {
        shard.select(configuration);
    }

    @Override
    public List<EventSource<?, MigrationJob>> prepareEventSources(EventSourceContext<MigrationJob> context) {
        metrics.countFrom(MigrationJob.class, () -> context.getPrimaryCache().list());
        // Backup, migration and rollback Jobs and their pods carry the MigrationJob's name in a label.
        var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, MigrationJob.class)
                .withName(JOBS).withLabelSelector(MigrationNames.MIGRATION_LABEL)
                .withSecondaryToPrimaryMapper(MigrationJobReconciler::byLabel).build(), context);
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, MigrationJob.class)
                .withName(PODS).withLabelSelector(MigrationNames.MIGRATION_LABEL)
                .withSecondaryToPrimaryMapper(MigrationJobReconciler::byLabel).build(), context);
        var policies = new InformerEventSource<>(InformerEventSourceConfiguration.from(BackupPolicy.class, MigrationJob.class)
                .withName(POLICIES)
                .withSecondaryToPrimaryMapper(p -> context.getPrimaryCache()
                        .list(p.getMetadata().getNamespace(), mj -> mj.getSpec().backup != null
                                && p.getMetadata().getName().equals(mj.getSpec().backup.policy))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((MigrationJob mj) -> mj.getSpec().backup == null ? Set.of()
                        : Set.of(new ResourceID(mj.getSpec().backup.policy, mj.getMetadata().getNamespace())))
                .build(), context);
        // The database Secrets (the user's): only their existence and the engine key matter.
        // The shared cache of users' Secrets: key names and the engine, never a secret value (common/SharedSecrets).
        var secrets = sharedSecrets.source(SECRETS, context,
                s -> context.getPrimaryCache()
                        .list(s.getMetadata().getNamespace(), mj -> s.getMetadata().getName().equals(mj.getSpec().databaseSecretRef))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()),
                (MigrationJob mj) -> Set.of(new ResourceID(mj.getSpec().databaseSecretRef, mj.getMetadata().getNamespace())));
        // The Environment's tier decides whether a backup is forced.
        var environments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Environment.class, MigrationJob.class)
                .withName(ENVIRONMENTS)
                .withSecondaryToPrimaryMapper(env -> context.getPrimaryCache().list(Environments.namespaceOf(env))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((MigrationJob mj) -> Set.of())
                .build(), context);
        return List.of(jobs, pods, policies, secrets, environments);
    }

    private static Set<ResourceID> byLabel(HasMetadata child) {
        Map<String, String> labels = child.getMetadata().getLabels();
        String mj = labels == null ? null : labels.get(MigrationNames.MIGRATION_LABEL);
        return mj == null ? Set.of() : Set.of(new ResourceID(mj, child.getMetadata().getNamespace()));
    }

    @Override
    public UpdateControl<MigrationJob> reconcile(MigrationJob mj, Context<MigrationJob> context) {
        Facts facts = facts(mj, context);
        Step step = MigrationPhases.decide(mj, facts);
        boolean volumeBusy = false;
        switch (step.action()) {
            case CREATE_BACKUP -> {
                // One Job at a time on the policy's backup volume: the backup waits for a running one.
                volumeBusy = policyVolumeBusy(context, facts.policy().get());
                if (!volumeBusy) {
                    create(context, BackupJobs.endPin(backupJobs.onDemand(facts.policy().get(), MigrationNames.backupJob(mj), true,
                            "before migration " + mj.getMetadata().getName(),
                            Map.of(MigrationNames.MIGRATION_LABEL, mj.getMetadata().getName(), BackupNames.TRIGGER_LABEL, "migration")),
                            clock.instant().plus(Duration.ofDays(pinDays(mj)))));
                }
            }
            case CREATE_MIGRATION -> create(context, MigrationJobFactory.migrate(mj, step.engine()));
            case CREATE_ROLLBACK -> create(context, MigrationJobFactory.rollback(mj, step.engine()));
            case NONE -> { }
        }
        MigrationJobStatus status = statusFactory.status(mj, step);
        UpdateControl<MigrationJob> control = StatusSupport.write(mj, status, statusFactory.transitions(mj.getStatus(), status), events, context);
        boolean waitingForObject = step.outcome() == MigrationPhases.Outcome.STALLED
                && (step.phase() == MigrationJobStatus.Phase.Pending || step.phase() == MigrationJobStatus.Phase.RollingBack);
        if (volumeBusy) {
            return control.rescheduleAfter(VOLUME_RECHECK);
        }
        return waitingForObject ? control.rescheduleAfter(STALLED_RECHECK) : control;
    }

    /**
     * Whether another Job of {@code policy} still runs. Asked of the API server, and only right before
     * a backup Job would be created: this controller's Job informer sees only its own Jobs.
     */
    /** spec.backup.pinDays, default {@link #DEFAULT_PIN_DAYS}. */
    static int pinDays(MigrationJob mj) {
        return mj.getSpec().backup == null || mj.getSpec().backup.pinDays == null ? DEFAULT_PIN_DAYS : mj.getSpec().backup.pinDays;
    }

    private static boolean policyVolumeBusy(Context<MigrationJob> context, BackupPolicy policy) {
        List<Job> jobs = context.getClient().batch().v1().jobs().inNamespace(policy.getMetadata().getNamespace())
                .withLabel(BackupNames.POLICY_LABEL, policy.getMetadata().getName()).list().getItems();
        return VolumeUsers.busy(jobs, Set.of()).isPresent();
    }

    private Facts facts(MigrationJob mj, Context<MigrationJob> context) {
        String ns = mj.getMetadata().getNamespace();
        String name = mj.getMetadata().getName();
        var spec = mj.getSpec();
        Optional<BackupPolicy> policy = spec.backup == null ? Optional.empty()
                : Informers.of(context, BackupPolicy.class, POLICIES).get(new ResourceID(spec.backup.policy, ns));
        Optional<Secret> secret = Informers.secrets(context, SECRETS).get(new ResourceID(spec.databaseSecretRef, ns));
        boolean production = Informers.of(context, Environment.class, ENVIRONMENTS).list(env -> Environments.manages(env, ns))
                .findFirst().map(env -> TierDefaults.of(env.getSpec()).backupBeforeMigration()).orElse(false);
        var jobs = Informers.of(context, Job.class, JOBS);
        List<Pod> pods = Informers.of(context, Pod.class, PODS)
                .list(ns, p -> name.equals(p.getMetadata().getLabels().get(MigrationNames.MIGRATION_LABEL))).toList();
        String backup = MigrationNames.backupJob(mj);
        String migrate = MigrationNames.migrateJob(mj);
        String rollback = MigrationNames.rollbackJob(mj);
        return new Facts(policy, secret, production,
                jobs.get(new ResourceID(backup, ns)), JobOutcome.podsOf(pods, backup),
                jobs.get(new ResourceID(migrate, ns)), JobOutcome.podsOf(pods, migrate),
                jobs.get(new ResourceID(rollback, ns)), JobOutcome.podsOf(pods, rollback));
    }


    /** Creates a Job once (its name is derived from the MigrationJob; a taken name is an earlier reconcile's). */
    private static void create(Context<MigrationJob> context, Job job) {
        CreateOnce.create(context.getClient(), job);
    }

    @Override
    public ErrorStatusUpdateControl<MigrationJob> updateErrorStatus(MigrationJob mj, Context<MigrationJob> context, Exception e) {
        // Gone: deleted while being reconciled (its namespace went away, or its Application pruned it).
        return StatusSupport.onError(mj, e, message -> statusFactory.error(mj, message), events, LOG);
    }
}
