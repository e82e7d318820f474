package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.ConfigHashKey;
import dev.runway.operator.common.CrdPresence;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Informers;
import dev.runway.operator.common.IsPrometheusRuleInstalled;
import dev.runway.operator.common.IsServiceMonitorInstalled;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OneShotAnnotations;
import dev.runway.operator.common.Shard;
import dev.runway.operator.common.SharedSecrets;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.common.Transition;
import dev.runway.operator.environment.PromotionGate;
import dev.runway.operator.migration.MigrationGate;
import dev.runway.operator.monitoring.OperatorMetrics;
import io.argoproj.v1alpha1.Rollout;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
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
 * Converges an Application. The graph of children is declared here; each dependent builds one
 * child from the {@link ApplicationPlan} this reconciler computes first. The workflow is invoked
 * explicitly so that a missing referenced Secret stops the rollout before pods that could not start
 * are created, and the Application says why.
 */
@ControllerConfiguration(name = ApplicationReconciler.NAME, fieldManager = dev.runway.operator.common.Labels.MANAGER, generationAwareEventProcessing = false)
@Workflow(explicitInvocation = true, dependents = {
        // A planned child's precondition is the child's own wanted(app, plan) (PlannedChild).
        @Dependent(name = "configmap", type = ConfigMapDependent.class, reconcilePrecondition = PlannedChild.Wanted.class),
        @Dependent(name = ApplicationReconciler.GENERATED_SECRET, type = GeneratedSecretDependent.class,
                reconcilePrecondition = PlannedChild.Wanted.class),
        @Dependent(name = "service", type = ServiceDependent.class, reconcilePrecondition = PlannedChild.Wanted.class),
        @Dependent(name = "deployment", type = DeploymentDependent.class, dependsOn = { "configmap" },
                reconcilePrecondition = WorkloadConditions.DeploymentNeeded.class),
        @Dependent(name = "preview-service", type = PreviewServiceDependent.class,
                reconcilePrecondition = WorkloadConditions.PreviewNeeded.class),
        @Dependent(name = "pre-promotion-analysis", type = AnalysisTemplateDependents.PrePromotion.class,
                activationCondition = WorkloadConditions.ArgoRolloutsInstalled.class,
                reconcilePrecondition = PlannedChild.Wanted.class),
        @Dependent(name = "post-promotion-analysis", type = AnalysisTemplateDependents.PostPromotion.class,
                activationCondition = WorkloadConditions.ArgoRolloutsInstalled.class,
                reconcilePrecondition = PlannedChild.Wanted.class),
        @Dependent(name = "canary-analysis", type = AnalysisTemplateDependents.CanaryAnalysis.class,
                activationCondition = WorkloadConditions.ArgoRolloutsInstalled.class,
                reconcilePrecondition = PlannedChild.Wanted.class),
        // Not dependsOn the preview Service: a canary has none, and a dependent whose precondition
        // is not met holds back those that depend on it. Argo waits for a missing preview Service.
        @Dependent(name = "rollout", type = RolloutDependent.class, dependsOn = { "configmap", "service" },
                activationCondition = WorkloadConditions.ArgoRolloutsInstalled.class,
                reconcilePrecondition = WorkloadConditions.RolloutNeeded.class),
        @Dependent(name = "hpa", type = HorizontalPodAutoscalerDependent.class,
                reconcilePrecondition = PlannedChild.Wanted.class),
        @Dependent(name = "pdb", type = PodDisruptionBudgetDependent.class,
                reconcilePrecondition = PlannedChild.Wanted.class),
        @Dependent(name = "ingress", type = IngressDependent.class, dependsOn = { "service" },
                reconcilePrecondition = PlannedChild.Wanted.class),
        // Monitoring: only while the Prometheus Operator's CRDs are served (else the Monitoring condition says so).
        @Dependent(name = "service-monitor", type = ServiceMonitorDependent.class, dependsOn = { "service" },
                activationCondition = IsServiceMonitorInstalled.class, reconcilePrecondition = PlannedChild.Wanted.class),
        @Dependent(name = "prometheus-rule", type = PrometheusRuleDependent.class,
                activationCondition = IsPrometheusRuleInstalled.class, reconcilePrecondition = PlannedChild.Wanted.class),
})
public class ApplicationReconciler implements ConfigurableReconciler<Application> {
    public static final String NAME = "application";
    static final String REFERENCED_SECRETS = "referenced-secrets";
    static final String ENVIRONMENTS = "environments";
    static final String GENERATED_SECRET = "generated-secret";
    static final Duration CRD_RECHECK = Duration.ofSeconds(20);
    /** How soon a rollout that waits on its pods looks at them again (a crash or a failing probe wakes nothing). */
    static final Duration POD_RECHECK = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(ApplicationReconciler.class);

    private final Clock clock;
    private final ApplicationStatusFactory statusFactory;
    private final EventRecorder events;
    private final OneShotAnnotations annotations;
    private final OperatorMetrics metrics;
    private final ApplicationMigrations migrations; // spec.migration (migration/)
    private final ConfigHashKey hashKey;
    private final PodFieldsStatus podFields;
    private final Shard shard;
    private final RollbackLever rollbacks; // runway.dev/rollback
    private final SharedSecrets sharedSecrets;

    public ApplicationReconciler(Shard shard, Clock clock, EventRecorder events, OneShotAnnotations annotations, OperatorMetrics metrics,
            ConfigHashKey hashKey, SharedSecrets sharedSecrets) {
        this.shard = shard;
        this.sharedSecrets = sharedSecrets;
        this.metrics = metrics;
        this.hashKey = hashKey;
        this.clock = clock;
        this.statusFactory = new ApplicationStatusFactory(clock);
        this.podFields = new PodFieldsStatus(clock);
        this.events = events;
        this.annotations = annotations;
        this.migrations = new ApplicationMigrations(events);
        this.rollbacks = new RollbackLever(clock, events);
    }

    /** Its informer selects this shard's Applications only. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<Application> configuration) {
        shard.select(configuration);
    }

    @Override
    public List<EventSource<?, Application>> prepareEventSources(EventSourceContext<Application> context) {
        metrics.countFrom(Application.class, () -> context.getPrimaryCache().list());
        // Secrets the Applications reference (not labelled by us): a change of their data rolls the pods.
        // The shared cache of users' Secrets: metadata and a keyed digest, never a value (common/SharedSecrets).
        var secrets = sharedSecrets.source(REFERENCED_SECRETS, context,
                s -> context.getPrimaryCache()
                        .list(s.getMetadata().getNamespace(), app -> app.getSpec().secretRefs != null
                                && app.getSpec().secretRefs.contains(s.getMetadata().getName()))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()),
                (Application app) -> app.getSpec().secretRefs == null ? Set.of()
                        : app.getSpec().secretRefs.stream().map(n -> new ResourceID(n, app.getMetadata().getNamespace()))
                                .collect(Collectors.toSet()));
        // Environments: their config, flags and tier reach every Application in their namespace.
        var environments = new InformerEventSource<>(InformerEventSourceConfiguration.from(Environment.class, Application.class)
                .withName(ENVIRONMENTS)
                .withSecondaryToPrimaryMapper(env -> context.getPrimaryCache().list(Environments.namespaceOf(env))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((Application app) -> Set.of())
                // Only spec changes and the namespace being taken or released matter here, not counts.
                .withOnUpdateFilter((updated, old) -> !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
                        || !Objects.equals(managedNamespace(updated), managedNamespace(old)))
                .build(), context);
        return List.of(secrets, environments, ApplicationMigrations.informer(context) /* spec.migration */,
                VolumeClaims.informer(context) /* spec.volumes[].claim */, RestoredData.informer(context) /* Restore spec.switchApplication */);
    }

    @Override
    public UpdateControl<Application> reconcile(Application app, Context<Application> context) {
        PlanInputs inputs = planInputs(app, context);
        ApplicationPlan plan = inputs.plan(inputs.gates());
        // runway.dev/rollback is recorded into the status the plan starts from (its hold is a failed revision's).
        ApplicationStatus asRead = app.getStatus();
        RollbackLever.Pulled rollback = rollbacks.pull(app, plan, inputs.gates().migrationJob());
        if (rollback.replan()) {
            plan = inputs.plan(inputs.gates());
        }
        boolean rollbackUnderway = false;
        // A MigrationJob of the image's name that is not the Application's own shows only on create: plan with that fact.
        Optional<MigrationGate.Decision> notOwned = migrations.converge(app, plan, context);
        if (notOwned.isPresent()) {
            plan = inputs.plan(new ApplicationPlanner.Gates(inputs.gates().soak(), notOwned.get(), Optional.empty(),
                    inputs.gates().approvalRequested()));
        }
        context.managedWorkflowAndDependentResourceContext().put(ApplicationPlan.KEY, plan);
        boolean onRollout = WorkloadConditions.usesRollout(app);
        boolean argoInstalled = CrdPresence.argoRollouts(context.getClient());
        ApplicationStatus previous = app.getStatus();
        ApplicationStatus status;
        boolean waitingOnPods = false;
        if (!plan.missingSecrets().isEmpty()) {
            status = statusFactory.missingSecrets(app, plan);
        } else if (plan.refusal() != null) {
            status = statusFactory.refused(app, plan, PodSecurityCheck.REASON, plan.refusal());
        } else if (plan.image() == null) {
            // Held with no earlier image to keep serving: nothing to roll out.
            status = statusFactory.nothingServes(app, plan);
        } else {
            // Read before the workflow applies the Secret: whether its values are kept, adopted or new.
            var origin = GeneratedSecretDependent.origin(app, Informers.of(context, Secret.class, GENERATED_SECRET)
                    .get(new ResourceID(ApplicationNames.generatedSecret(app), app.getMetadata().getNamespace())),
                    plan.rotateSecrets(), previous != null && ConditionFactory.find(previous.conditions,
                            ConditionTypes.GENERATED_SECRETS).isPresent());
            List<String> claimRefusals = VolumeClaims.converge(app, context, plan.environment(), events,
                    PodFieldsStatus.claimRefusals(previous, app.getMetadata().getGeneration()));
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                    .throwAggregateExceptionIfErrorsPresent();
            Optional<Rollout> rollout = WorkloadConditions.rollout(context);
            Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
            Optional<Service> service = Informers.of(context, Service.class, "service")
                    .get(ResourceID.fromResource(app));
            if (StrategySwitch.retireRollout(context.getClient(), app, rollout, deployment, service)) {
                events.normal(app, "StrategySwitched", "the Deployment serves; retiring the blue-green Rollout");
            }
            List<String> settledLevers = pullLevers(app, context, rollout, onRollout && argoInstalled, plan);
            boolean autoscaled = app.getSpec().autoscaling != null;
            WorkloadState state = null;
            if (onRollout && !argoInstalled) {
                status = statusFactory.argoRolloutsMissing(app, plan);
            } else {
                state = onRollout ? AnalysisVerdict.explain(WorkloadState.of(rollout.orElse(null), plan, autoscaled), rollout, context.getClient())
                        : WorkloadState.of(deployment, plan, autoscaled);
                status = statusFactory.fromWorkload(app, plan, state, onRollout);
            }
            if (status.phase == ApplicationStatus.Phase.Progressing && (deployment.isPresent() || rollout.isPresent())) {
                // Nothing wakes this controller when a pod crashes or fails its probe: read the pods
                // while the rollout waits, and look again soon. A converged Application reads none.
                waitingOnPods = true;
                Instant now = clock.instant();
                Optional<PodTrouble> trouble = onRollout ? Optional.empty() : WorkloadTrouble.failedCreate(deployment);
                if (trouble.isEmpty()) {
                    trouble = PodTrouble.of(pods(context, app), plan.image(), now);
                }
                if (trouble.isEmpty()) {
                    trouble = WorkloadTrouble.notObserved(deployment, rollout, onRollout, now);
                }
                if (trouble.isPresent()) {
                    statusFactory.podTrouble(status, app, trouble.get(), state != null && state.available() > 0);
                }
            }
            if (autoscaled) {
                statusFactory.scalingLimited(status, app, WorkloadTrouble.atMaxReplicas(
                        context.getSecondaryResource(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class)));
            }
            statusFactory.hold(status, app, plan, state != null && state.rolledOut());
            rollbackUnderway = rollbacks.track(context.getClient(), status, app, plan, state != null && state.rolledOut(),
                    inputs.gates().migrationJob());
            statusFactory.promotionReady(status, app, plan, state != null && state.awaitingPromotion());
            statusFactory.generatedSecrets(status, app, plan, origin);
            podFields.contribute(status, previous, app, DeploymentDependent.overrides(app, plan), claimRefusals, events);
            PromotionEvidence.update(previous, status, app, plan, state != null && state.rolledOut(), () -> pods(context, app),
                    clock.instant(), hashKey.get());
            List<String> consumed = new java.util.ArrayList<>(settledLevers);
            consumed.add(ApplicationPlanner.RESTART_ANNOTATION);
            consumed.add(ApplicationPlanner.ROTATE_SECRETS_ANNOTATION);
            if (rollback.settled()) {
                consumed.add(dev.runway.operator.api.v1alpha1.Annotations.ROLLBACK);
            }
            annotations.consume(app, consumed.toArray(String[]::new));
        }
        if (plan.missingSecrets().isEmpty() && plan.refusal() == null) {
            if (plan.image() == null) {
                statusFactory.hold(status, app, plan, false);
                statusFactory.promotionReady(status, app, plan, false);
            }
            statusFactory.migrationPassed(status, app, plan, inputs.gates().migration());
        }
        boolean monitoringMissing = statusFactory.monitoring(status, app, missingMonitoringCrds(app, context));
        status.restoredData = plan.restoredData();
        recordSwitch(app, previous == null ? null : previous.restoredData, plan.restoredData());
        List<Transition> transitions = statusFactory.transitions(previous, status);
        app.setStatus(asRead); // compared with what the API server holds, not with a rollback recorded above
        UpdateControl<Application> control = StatusSupport.write(app, status, transitions, events, context);
        if ((onRollout && !argoInstalled) || monitoringMissing || (plan.refusal() != null && plan.environment() == null)) {
            // (A refusal read from a namespace label: nothing announces the label's change either.)
            // Nothing announces a CRD's arrival to this controller: look again while waiting for one.
            return control.rescheduleAfter(CRD_RECHECK);
        }
        if (rollbackUnderway) {
            // Nothing here watches the rollback's Job or Restore: look again while it is under way (the shortest recheck).
            return control.rescheduleAfter(RollbackLever.RECHECK);
        }
        // A soak hold resolves by itself (the soak completes): look again when it may have.
        Duration hold = plan.hold() == null ? null : plan.hold().recheckAfter();
        if (hold != null) {
            return control.rescheduleAfter(waitingOnPods && POD_RECHECK.compareTo(hold) < 0 ? POD_RECHECK : hold);
        }
        return waitingOnPods ? control.rescheduleAfter(POD_RECHECK) : control;
    }

    /** The pods of the Application's workload (both revisions), read live: only while a rollout waits. */
    private static List<Pod> pods(Context<Application> context, Application app) {
        return context.getClient().pods().inNamespace(app.getMetadata().getNamespace())
                .withLabels(Labels.selector(app)).list().getItems();
    }

    /** The Prometheus Operator CRDs the Application's spec.monitoring needs that the API server does not serve. */
    private static List<String> missingMonitoringCrds(Application app, Context<Application> context) {
        List<String> missing = new java.util.ArrayList<>();
        if (ServiceMonitorDependent.wanted(app) && !CrdPresence.serviceMonitors(context.getClient())) {
            missing.add(CrdPresence.SERVICE_MONITORS + ".monitoring.coreos.com");
        }
        if (PrometheusRuleDependent.wanted(app) && !CrdPresence.prometheusRules(context.getClient())) {
            missing.add(CrdPresence.PROMETHEUS_RULES + ".monitoring.coreos.com");
        }
        return missing;
    }

    /** Acts on runway.dev/promote and runway.dev/abort; returns those that are settled and can be removed. */
    private List<String> pullLevers(Application app, Context<Application> context, Optional<Rollout> rollout, boolean onArgoRollout,
            ApplicationPlan plan) {
        List<String> settled = new java.util.ArrayList<>();
        for (String lever : List.of(RolloutLevers.PROMOTE, RolloutLevers.ABORT)) {
            if (!OneShotAnnotations.has(app, lever)) {
                continue;
            }
            if (lever.equals(RolloutLevers.PROMOTE) && !WorkloadConditions.usesRollout(app)) {
                if (RolloutLevers.approve(app, plan, events)) {
                    settled.add(lever);
                }
            } else if (!onArgoRollout) {
                events.warning(app, "NotBlueGreen", lever + " applies to BlueGreen and Canary Applications with Argo Rollouts installed; ignored");
                settled.add(lever);
            } else if (lever.equals(RolloutLevers.PROMOTE) ? RolloutLevers.promote(context.getClient(), app, rollout, plan.image(), events)
                    : RolloutLevers.abort(context.getClient(), app, rollout, events)) {
                settled.add(lever);
            }
        }
        return settled;
    }

    /** An Event when a Restore's switch starts, stops or cannot apply (application/RestoredData). */
    private void recordSwitch(Application app, ApplicationStatus.RestoredData before, ApplicationStatus.RestoredData after) {
        String was = before == null ? null : before.restore + "/" + before.applied;
        String now = after == null ? null : after.restore + "/" + after.applied;
        if (Objects.equals(was, now)) {
            return;
        }
        if (after == null) {
            events.normal(app, "RestoredDataSwitchEnded", "Restore " + before.restore + " is gone: the pods read the database of Secret "
                    + before.secret + " again (database " + before.database + " stays)");
        } else if (Boolean.TRUE.equals(after.applied)) {
            events.normal(app, "SwitchedToRestoredData", after.message);
        } else {
            events.warning(app, "RestoredDataNotSwitched", after.message);
        }
    }

    @Override
    public ErrorStatusUpdateControl<Application> updateErrorStatus(Application app, Context<Application> context, Exception e) {
        return StatusSupport.onError(app, e, message -> statusFactory.error(app, message), events, LOG);
    }

    /** What the planner needs, read once per reconcile; {@link #plan} plans it with the gates given. */
    private record PlanInputs(Application app, Optional<Environment> environment, Map<String, Secret> referenced,
            Optional<Secret> generated, Optional<String> restartedAt, ApplicationPlanner.Gates gates, Instant now, byte[] hashKey,
            Optional<String> namespaceLevel, Optional<ApplicationStatus.RestoredData> restoredData) {
        ApplicationPlan plan(ApplicationPlanner.Gates with) {
            return ApplicationPlanner.plan(app, environment, referenced, generated, restartedAt, with, now, hashKey, namespaceLevel,
                    restoredData);
        }
    }

    private PlanInputs planInputs(Application app, Context<Application> context) {
        String namespace = app.getMetadata().getNamespace();
        Optional<Environment> environment = Informers.of(context, Environment.class, ENVIRONMENTS)
                .list(env -> Environments.manages(env, namespace))
                .findFirst();
        Map<String, Secret> referenced = new HashMap<>();
        var secrets = Informers.secrets(context, REFERENCED_SECRETS);
        for (String name : app.getSpec().secretRefs == null ? List.<String>of() : app.getSpec().secretRefs) {
            secrets.get(new ResourceID(name, namespace)).ifPresent(s -> referenced.put(name, s));
        }
        Optional<Secret> generated = Informers.of(context, Secret.class, GENERATED_SECRET)
                .get(new ResourceID(ApplicationNames.generatedSecret(app), namespace));
        Instant now = clock.instant();
        Optional<PromotionGate.Hold> promotion = environment.flatMap(env -> promotionHold(app, env, context, now, hashKey.get()));
        Optional<String> restartedAt = context.getSecondaryResource(Deployment.class)
                .map(d -> d.getSpec().getTemplate().getMetadata().getAnnotations())
                .map(a -> a.get(Labels.RESTARTED_AT_ANNOTATION));
        // Without an Environment the namespace's own Pod Security label decides; read only when running as root is
        // asked or spec.podTemplate could bring in what the level forbids.
        Optional<String> namespaceLevel = environment.isEmpty() && (app.getSpec().podTemplate != null
                || (app.getSpec().securityContext != null && app.getSpec().securityContext.root()))
                ? Optional.ofNullable(context.getClient().namespaces().withName(namespace).get())
                        .map(ns -> ns.getMetadata().getLabels()).map(l -> l.get("pod-security.kubernetes.io/enforce"))
                : Optional.empty();
        // spec.migration: the MigrationJob of spec.image and the gate's decision on it.
        Optional<MigrationJob> migrationJob = ApplicationMigrations.ofImage(app, context);
        var gates = new ApplicationPlanner.Gates(promotion, MigrationGate.check(app, app.getSpec().image, migrationJob), migrationJob,
                OneShotAnnotations.has(app, RolloutLevers.PROMOTE));
        return new PlanInputs(app, environment, referenced, generated, restartedAt, gates, now, hashKey.get(), namespaceLevel,
                RestoredData.of(app, context));
    }

    private static String managedNamespace(Environment env) {
        return env.getStatus() == null ? null : env.getStatus().namespace;
    }

    /**
     * The evidence for the promotion gate: the from-Environment and the Application of the same
     * name in its namespace, read from the primary cache (this controller watches all namespaces).
     */
    private static Optional<PromotionGate.Hold> promotionHold(Application app, Environment env, Context<Application> context, Instant now,
            byte[] key) {
        var promotion = env.getSpec().promotion;
        if (promotion == null || promotion.from == null) {
            return Optional.empty();
        }
        Optional<Environment> sourceEnv = Informers.of(context, Environment.class, ENVIRONMENTS).get(new ResourceID(promotion.from));
        Optional<Application> source = sourceEnv.flatMap(s -> context.getPrimaryCache()
                .get(new ResourceID(app.getMetadata().getName(), Environments.namespaceOf(s))));
        return PromotionGate.check(app, env, sourceEnv, source, now, key);
    }
}
