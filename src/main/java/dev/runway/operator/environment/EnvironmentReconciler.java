package dev.runway.operator.environment;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.DeletionPolicy;
import dev.runway.operator.api.v1alpha1.EnvironmentStatus;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.Informers;
import dev.runway.operator.common.RunwayConfig;
import dev.runway.operator.common.Shard;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.common.TierDefaults;
import dev.runway.operator.environment.EnvironmentStatusFactory.AppCounts;
import dev.runway.operator.environment.NamespaceOwnership.Verdict;
import dev.runway.operator.monitoring.OperatorMetrics;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
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
 * Converges an Environment: its namespace, then the children in it. The workflow is invoked
 * explicitly because the namespace decides everything: a namespace that exists without
 * adoptExisting (or belongs to another Environment) is refused before anything is written to it.
 * Deletion goes through {@link #cleanup}: the namespace is deleted only when this Environment
 * created it and deletionPolicy is Delete; otherwise it is released (Runway's identity labels
 * removed; Pod Security labels kept on a created namespace, put back as they were on an adopted one).
 * Tenancy rules ({@link TenancyRules}, {@link PodSecurityGuard}) are checked before anything is written.
 */
@ControllerConfiguration(name = EnvironmentReconciler.NAME, fieldManager = dev.runway.operator.common.Labels.MANAGER)
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "namespace", type = NamespaceDependent.class, useEventSourceWithName = EnvironmentReconciler.NAMESPACES),
        @Dependent(name = "environment-config", type = EnvironmentConfigMapDependent.class, dependsOn = "namespace",
                reconcilePrecondition = EnvironmentConfigMapDependent.HasVariables.class),
        @Dependent(name = "quota", type = ResourceQuotaDependent.class, dependsOn = "namespace",
                reconcilePrecondition = ResourceQuotaDependent.Enabled.class),
        @Dependent(name = "container-defaults", type = LimitRangeDependent.class, dependsOn = "namespace",
                reconcilePrecondition = LimitRangeDependent.Enabled.class),
        @Dependent(name = "isolation", type = NetworkPolicyDependent.class, dependsOn = "namespace",
                reconcilePrecondition = NetworkPolicyDependent.Enabled.class),
        @Dependent(name = "access", type = RoleBindingsDependent.class, dependsOn = "namespace"),
})
public class EnvironmentReconciler implements ConfigurableReconciler<Environment>, Cleaner<Environment> {
    public static final String NAME = "environment";
    static final String NAMESPACES = "namespaces";
    static final String APPLICATIONS = "applications";
    /** How often a refused or waiting Environment looks again, in case the obstacle went away. */
    static final Duration RECHECK = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(EnvironmentReconciler.class);

    private final EnvironmentStatusFactory statusFactory;
    private final EventRecorder events;
    private final OperatorMetrics metrics;
    private final TenancyRules tenancy;
    private final Shard shard;

    public EnvironmentReconciler(Shard shard, Clock clock, EventRecorder events, OperatorMetrics metrics, RunwayConfig config,
            KubernetesClient client) {
        this.shard = shard;
        this.metrics = metrics;
        this.tenancy = TenancyRules.of(config.tenancy().operatorNamespace().or(() -> Optional.ofNullable(client.getNamespace())),
                config.tenancy().protectedNamespaces().orElse(List.of()));
        this.statusFactory = new EnvironmentStatusFactory(clock);
        this.events = events;
    }

    /** Every Environment on the default shard, none on a named one. */
    @Override
    public void updateConfigurationFrom(ControllerConfigurationOverrider<Environment> configuration) {
        shard.selectEnvironments(configuration);
    }

    @Override
    public List<EventSource<?, Environment>> prepareEventSources(EventSourceContext<Environment> context) {
        metrics.countFrom(Environment.class, () -> context.getPrimaryCache().list());
        // Every namespace, not only labelled ones: an existing namespace must be seen to be refused,
        // and its deletion must wake the Environment that waits for it.
        var namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, Environment.class)
                .withName(NAMESPACES)
                .withSecondaryToPrimaryMapper(ns -> environmentsOf(context, ns.getMetadata().getName()))
                .withPrimaryToSecondaryMapper((Environment env) -> Set.of(new ResourceID(Environments.namespaceOf(env))))
                .build(), context);
        // Applications, for status.applications; only creations, deletions and Ready flips matter.
        var applications = new InformerEventSource<>(InformerEventSourceConfiguration.from(Application.class, Environment.class)
                .withName(APPLICATIONS)
                .withSecondaryToPrimaryMapper(app -> environmentsOf(context, app.getMetadata().getNamespace()))
                .withPrimaryToSecondaryMapper((Environment env) -> Set.of())
                .withOnUpdateFilter((updated, old) -> ready(updated) != ready(old))
                .build(), context);
        return List.of(namespaces, applications);
    }

    private static Set<ResourceID> environmentsOf(EventSourceContext<Environment> context, String namespace) {
        return context.getPrimaryCache().list(env -> namespace.equals(Environments.namespaceOf(env)))
                .map(ResourceID::fromResource).collect(Collectors.toSet());
    }

    @Override
    public UpdateControl<Environment> reconcile(Environment env, Context<Environment> context) {
        Optional<Namespace> namespace = context.getSecondaryResource(Namespace.class);
        NamespaceOwnership ownership = NamespaceOwnership.decide(env, namespace,
                other -> context.getPrimaryCache().get(new ResourceID(other)).isPresent());
        EnvironmentStatus previous = env.getStatus();
        EnvironmentStatus status;
        Duration recheck = null;
        Optional<TenancyRules.Refusal> refusal = tenancy.check(env);
        if (refusal.isPresent()) {
            // Before anything is written: a protected namespace is never created, labelled or bound.
            ownership = new NamespaceOwnership(Verdict.REFUSE_PROTECTED, false, refusal.get().message());
        }
        String podSecurityBefore = null;
        if (ownership.verdict() == Verdict.ADOPT || ownership.verdict() == Verdict.MANAGE && !ownership.created()) {
            podSecurityBefore = PodSecurityGuard.before(namespace.orElseThrow(), ownership.verdict() == Verdict.ADOPT);
            Optional<String> downgrade = PodSecurityGuard.downgrade(env, Environments.namespaceOf(env), podSecurityBefore,
                    TierDefaults.of(env.getSpec()).podSecurity());
            if (downgrade.isPresent()) {
                ownership = new NamespaceOwnership(Verdict.REFUSE_DOWNGRADE, false, downgrade.get());
            }
        }
        switch (ownership.verdict()) {
            case REFUSE_PROTECTED -> status = statusFactory.refused(env, refusal.orElseThrow().reason(), ownership.message());
            case REFUSE_DOWNGRADE -> status = statusFactory.refused(env, PodSecurityGuard.DOWNGRADE, ownership.message());
            case REFUSE_EXISTS -> status = statusFactory.refused(env, EnvironmentStatusFactory.NAMESPACE_EXISTS, ownership.message());
            case REFUSE_CLAIMED -> status = statusFactory.refused(env, EnvironmentStatusFactory.NAMESPACE_CLAIMED, ownership.message());
            case TERMINATING -> {
                status = statusFactory.waiting(env, EnvironmentStatusFactory.NAMESPACE_TERMINATING, ownership.message());
                recheck = Duration.ofSeconds(5);
            }
            default -> status = converge(env, ownership, podSecurityBefore, context);
        }
        if (!ownership.verdict().managed() && recheck == null) {
            // Stalled until a human acts; the spec change or namespace deletion that fixes it also
            // triggers a reconcile, this is only a safety net.
            recheck = RECHECK;
        }
        UpdateControl<Environment> control = StatusSupport.write(env, status, statusFactory.transitions(previous, status), events, context);
        return recheck == null ? control : control.rescheduleAfter(recheck);
    }

    private EnvironmentStatus converge(Environment env, NamespaceOwnership ownership, String podSecurityBefore,
            Context<Environment> context) {
        EnvironmentPlan plan = EnvironmentPlan.of(env, ownership, podSecurityBefore);
        context.managedWorkflowAndDependentResourceContext().put(EnvironmentPlan.KEY, plan);
        context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow().throwAggregateExceptionIfErrorsPresent();
        if (ownership.verdict() == Verdict.CREATE) {
            events.normal(env, "NamespaceCreated", "created namespace " + plan.namespace());
        } else if (ownership.verdict() == Verdict.ADOPT) {
            events.normal(env, "NamespaceAdopted", "adopted existing namespace " + plan.namespace()
                    + "; it is never deleted with this Environment");
        }
        return statusFactory.ready(env, plan, countApplications(context, plan.namespace()));
    }

    private static AppCounts countApplications(Context<Environment> context, String namespace) {
        List<Application> apps = Informers.of(context, Application.class, APPLICATIONS).list(namespace).toList();
        return new AppCounts(apps.size(), (int) apps.stream().filter(EnvironmentReconciler::ready).count());
    }

    private static boolean ready(Application app) {
        return app.getStatus() != null && ConditionFactory.isTrue(app.getStatus().conditions, ConditionFactory.READY);
    }

    /**
     * Deletes the namespace only if this Environment created it and deletionPolicy is Delete.
     * Otherwise releases it. The children it owns in the namespace are removed by the garbage
     * collector through their ownerReferences.
     */
    @Override
    public DeleteControl cleanup(Environment env, Context<Environment> context) {
        Optional<Namespace> namespace = context.getSecondaryResource(Namespace.class)
                .filter(ns -> NamespaceOwnership.managedBy(ns, env));
        if (namespace.isEmpty()) {
            return DeleteControl.defaultDelete();
        }
        Namespace ns = namespace.get();
        String name = ns.getMetadata().getName();
        boolean created = NamespaceOwnership.createdBy(ns, env);
        if (created && env.getSpec().deletionPolicy == DeletionPolicy.Delete) {
            context.getClient().namespaces().withName(name).delete();
            events.normal(env, "NamespaceDeleted", "deleted namespace " + name + " (deletionPolicy: Delete)");
        } else {
            NamespaceRelease.release(context.getClient(), ns);
            events.normal(env, "NamespaceRetained", "kept namespace " + name + (created
                    ? " (deletionPolicy: Retain)"
                    : " (adopted: an Environment never deletes a namespace it did not create)"));
        }
        return DeleteControl.defaultDelete();
    }

    @Override
    public ErrorStatusUpdateControl<Environment> updateErrorStatus(Environment env, Context<Environment> context, Exception e) {
        return StatusSupport.onError(env, e, message -> statusFactory.error(env, message), events, LOG);
    }
}
