package dev.runway.operator.backup;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicyStatus;
import dev.runway.operator.common.CrdPresence;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Informers;
import dev.runway.operator.common.IsPrometheusRuleInstalled;
import dev.runway.operator.common.Shard;
import dev.runway.operator.common.SharedSecrets;
import dev.runway.operator.common.StatusSupport;
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
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.quarkiverse.operatorsdk.runtime.api.ConfigurableReconciler;

/**
 * Converges a BackupPolicy: the script ConfigMap, the retained PVC, the backup and verification
 * CronJobs and (with the Prometheus Operator) the alert rules; on-demand backups; and a status
 * read from the termination messages of finished backup and verification pods. The workflow is
 * invoked explicitly so that an unusable schedule or a missing database Secret stops the policy
 * before anything is applied, and the status says why.
 */
@ControllerConfiguration(name = BackupPolicyReconciler.NAME, fieldManager = dev.runway.operator.common.Labels.MANAGER, generationAwareEventProcessing = false)
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "scripts", type = ScriptsConfigMapDependent.class),
        @Dependent(name = "pvc", type = BackupPvcDependent.class),
        @Dependent(name = "backup-cronjob", type = BackupCronJobDependent.class, dependsOn = { "scripts", "pvc" }),
        @Dependent(name = "verify-cronjob", type = VerifyCronJobDependent.class, dependsOn = { "scripts", "pvc" },
                reconcilePrecondition = VerifyCronJobDependent.Enabled.class),
        @Dependent(name = "alerts", type = BackupAlertsDependent.class, activationCondition = IsPrometheusRuleInstalled.class),
})
public class BackupPolicyReconciler implements ConfigurableReconciler<BackupPolicy> {
    public static final String NAME = "backuppolicy";
    static final String JOBS = "backup-jobs";
    static final String PODS = "backup-pods";
    static final String DATABASE_SECRETS = "database-secrets";
    private static final Logger LOG = Logger.getLogger(BackupPolicyReconciler.class);

    private final Clock clock;
    private final BackupStatusFactory statusFactory;
    private final BackupJobs jobs;
    private final OnDemandBackups onDemand;
    private final BackupMetrics metrics;
    private final EventRecorder events;
    private final OperatorMetrics counts;
    private final Shard shard;
    private final SharedSecrets sharedSecrets;

    public BackupPolicyReconciler(Shard shard, Clock clock, BackupJobs jobs, OnDemandBackups onDemand, BackupMetrics metrics, EventRecorder events,
            OperatorMetrics counts, SharedSecrets sharedSecrets) {
        this.shard = shard;
        this.sharedSecrets = sharedSecrets;
        this.counts = counts;
        this.clock = clock;
        this.statusFactory = new BackupStatusFactory(clock);
        this.jobs = jobs;
        this.onDemand = onDemand;
        this.metrics = metrics;
        this.events = events;
    }

    /** Its informer selects this shard's BackupPolicies only. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<BackupPolicy> configuration) {
        shard.select(configuration);
    }

    @Override
    public List<EventSource<?, BackupPolicy>> prepareEventSources(EventSourceContext<BackupPolicy> context) {
        counts.countFrom(BackupPolicy.class, () -> context.getPrimaryCache().list());
        // Backup and verification Jobs and their pods, scheduled or on demand, carry the policy's name in a label.
        var jobInformer = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, BackupPolicy.class)
                .withName(JOBS)
                .withLabelSelector(BackupNames.POLICY_LABEL)
                .withSecondaryToPrimaryMapper(BackupPolicyReconciler::byPolicyLabel)
                .build(), context);
        var podInformer = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, BackupPolicy.class)
                .withName(PODS)
                .withLabelSelector(BackupNames.POLICY_LABEL)
                .withSecondaryToPrimaryMapper(BackupPolicyReconciler::byPolicyLabel)
                .build(), context);
        // The database Secrets (the user's, not labelled by us): only their existence and key names matter.
        // The shared cache of users' Secrets: key names, never a value (common/SharedSecrets).
        var secrets = sharedSecrets.source(DATABASE_SECRETS, context,
                s -> context.getPrimaryCache()
                        .list(s.getMetadata().getNamespace(), p -> s.getMetadata().getName().equals(p.getSpec().database.secretRef))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()),
                (BackupPolicy p) -> Set.of(new ResourceID(p.getSpec().database.secretRef, p.getMetadata().getNamespace())));
        return List.of(jobInformer, podInformer, secrets);
    }

    private static Set<ResourceID> byPolicyLabel(HasMetadata child) {
        Map<String, String> labels = child.getMetadata().getLabels();
        String policy = labels == null ? null : labels.get(BackupNames.POLICY_LABEL);
        return policy == null ? Set.of() : Set.of(new ResourceID(policy, child.getMetadata().getNamespace()));
    }

    @Override
    public UpdateControl<BackupPolicy> reconcile(BackupPolicy policy, Context<BackupPolicy> context) {
        String ns = policy.getMetadata().getNamespace();
        Optional<Secret> secret = Informers.secrets(context, DATABASE_SECRETS)
                .get(new ResourceID(policy.getSpec().database.secretRef, ns));
        String image = jobs.image(policy);
        BackupPlan plan = BackupPlanner.plan(policy, secret, image, CrdPresence.prometheusRules(context.getClient()), clock.instant());
        context.managedWorkflowAndDependentResourceContext().put(BackupPlan.KEY, plan);
        if (!plan.blocked()) {
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow().throwAggregateExceptionIfErrorsPresent();
            // Requests made while the policy is stalled wait (the annotation stays) until it can run them.
        }
        String name = policy.getMetadata().getName();
        List<Job> policyJobs = Informers.of(context, Job.class, JOBS)
                .list(ns, j -> name.equals(j.getMetadata().getLabels().get(BackupNames.POLICY_LABEL))).toList();
        if (!plan.blocked()) {
            onDemand.handle(policy, image, context.getClient(), policyJobs);
        }
        BackupResults.Observed observed = BackupResults.observe(
                policyJobs,
                Informers.of(context, Pod.class, PODS).list(ns, p -> name.equals(p.getMetadata().getLabels().get(BackupNames.POLICY_LABEL))).toList());
        BackupPolicyStatus previous = policy.getStatus();
        BackupPolicyStatus status = statusFactory.status(policy, plan, observed);
        var transitions = statusFactory.transitions(policy, previous, status);
        metrics.record(policy, status, plan.staleAfter());
        metrics.retainOnly(id -> context.getPrimaryCache().get(id).isPresent());

        UpdateControl<BackupPolicy> control = StatusSupport.write(policy, status, transitions, events, context);
        // Without this, BackupsFresh would flip only when some event happens to arrive after the deadline.
        Optional<Duration> recheck = statusFactory.recheckAfter(policy, plan, status);
        recheck.ifPresent(control::rescheduleAfter);
        return control;
    }

    @Override
    public ErrorStatusUpdateControl<BackupPolicy> updateErrorStatus(BackupPolicy policy, Context<BackupPolicy> context, Exception e) {
        return StatusSupport.onError(policy, e, message -> statusFactory.error(policy, message), events, LOG);
    }
}
