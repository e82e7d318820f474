package dev.runway.operator.application;

import java.time.Clock;
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
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.ErrorMessages;
import dev.runway.operator.common.Informers;
import dev.runway.operator.common.EventRecorder;
import dev.runway.operator.common.OneShotAnnotations;
import dev.runway.operator.common.StatusSupport;
import dev.runway.operator.environment.PromotionGate;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Converges an Application. The graph of children is declared here; each dependent builds one
 * child from the {@link ApplicationPlan} this reconciler computes first. The workflow is invoked
 * explicitly so that a missing referenced Secret stops the rollout before pods that could not start
 * are created, and the Application says why.
 */
@ControllerConfiguration(name = ApplicationReconciler.NAME, generationAwareEventProcessing = false)
@Workflow(explicitInvocation = true, dependents = {
        @Dependent(name = "configmap", type = ConfigMapDependent.class),
        @Dependent(name = "generated-secret", type = GeneratedSecretDependent.class,
                reconcilePrecondition = GeneratedSecretDependent.Enabled.class),
        @Dependent(name = "deployment", type = DeploymentDependent.class, dependsOn = { "configmap" }),
        @Dependent(name = "service", type = ServiceDependent.class),
        @Dependent(name = "hpa", type = HorizontalPodAutoscalerDependent.class, dependsOn = { "deployment" },
                reconcilePrecondition = HorizontalPodAutoscalerDependent.Enabled.class),
        @Dependent(name = "pdb", type = PodDisruptionBudgetDependent.class,
                reconcilePrecondition = PodDisruptionBudgetDependent.Needed.class),
        @Dependent(name = "ingress", type = IngressDependent.class, dependsOn = { "service" },
                reconcilePrecondition = IngressDependent.Enabled.class),
})
public class ApplicationReconciler implements Reconciler<Application> {
    public static final String NAME = "application";
    static final String REFERENCED_SECRETS = "referenced-secrets";
    static final String ENVIRONMENTS = "environments";
    private static final Logger LOG = Logger.getLogger(ApplicationReconciler.class);

    private final Clock clock;
    private final ApplicationStatusFactory statusFactory;
    private final EventRecorder events;
    private final OneShotAnnotations annotations;

    public ApplicationReconciler(Clock clock, EventRecorder events, OneShotAnnotations annotations) {
        this.clock = clock;
        this.statusFactory = new ApplicationStatusFactory(clock);
        this.events = events;
        this.annotations = annotations;
    }

    @Override
    public List<EventSource<?, Application>> prepareEventSources(EventSourceContext<Application> context) {
        // Secrets the Applications reference (not labelled by us): a change of their data rolls the pods.
        var secrets = new InformerEventSource<>(InformerEventSourceConfiguration.from(Secret.class, Application.class)
                .withName(REFERENCED_SECRETS)
                .withSecondaryToPrimaryMapper(s -> context.getPrimaryCache()
                        .list(s.getMetadata().getNamespace(), app -> app.getSpec().secretRefs != null
                                && app.getSpec().secretRefs.contains(s.getMetadata().getName()))
                        .map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withPrimaryToSecondaryMapper((Application app) -> app.getSpec().secretRefs == null ? Set.of()
                        : app.getSpec().secretRefs.stream().map(n -> new ResourceID(n, app.getMetadata().getNamespace()))
                                .collect(Collectors.toSet()))
                .build(), context);
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
        return List.of(secrets, environments);
    }

    @Override
    public UpdateControl<Application> reconcile(Application app, Context<Application> context) {
        ApplicationPlan plan = plan(app, context);
        context.managedWorkflowAndDependentResourceContext().put(ApplicationPlan.KEY, plan);
        ApplicationStatus previous = app.getStatus();
        ApplicationStatus status;
        if (!plan.missingSecrets().isEmpty()) {
            status = statusFactory.missingSecrets(app, plan);
        } else if (plan.image() == null) {
            // Held by the promotion gate with no earlier image to keep serving: nothing to roll out.
            status = statusFactory.promotionBlocked(app, plan);
        } else {
            context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow()
                    .throwAggregateExceptionIfErrorsPresent();
            status = statusFactory.fromDeployment(app, plan, context.getSecondaryResource(Deployment.class));
            annotations.consume(app, ApplicationPlanner.RESTART_ANNOTATION, ApplicationPlanner.ROTATE_SECRETS_ANNOTATION);
        }
        statusFactory.transitions(previous, status).forEach(t -> {
            if (t.warning()) {
                events.warning(app, t.reason(), t.message());
            } else {
                events.normal(app, t.reason(), t.message());
            }
        });
        UpdateControl<Application> control;
        if (StatusSupport.sameStatus(previous, status)) {
            control = UpdateControl.noUpdate();
        } else {
            app.setStatus(status);
            control = UpdateControl.patchStatus(app);
        }
        // A promotion hold resolves by itself (the soak completes): look again when it may have.
        return plan.promotionHold() == null ? control : control.rescheduleAfter(plan.promotionHold().recheckAfter());
    }

    @Override
    public ErrorStatusUpdateControl<Application> updateErrorStatus(Application app, Context<Application> context, Exception e) {
        if (ErrorMessages.isConflict(e)) {
            // Someone wrote the object since we read it; the retry reads it again. Not worth a condition.
            return ErrorStatusUpdateControl.noStatusUpdate();
        }
        String message = ErrorMessages.describe(e);
        LOG.warnf("reconcile of application %s/%s failed: %s", app.getMetadata().getNamespace(), app.getMetadata().getName(), message);
        ApplicationStatus status = statusFactory.error(app, message);
        if (!StatusSupport.sameStatus(app.getStatus(), status)) {
            events.warning(app, "ReconcileFailed", message);
        }
        app.setStatus(status);
        return ErrorStatusUpdateControl.patchStatus(app);
    }

    private ApplicationPlan plan(Application app, Context<Application> context) {
        String namespace = app.getMetadata().getNamespace();
        Optional<Environment> environment = Informers.of(context, Environment.class, ENVIRONMENTS)
                .list(env -> Environments.manages(env, namespace))
                .findFirst();
        Map<String, Secret> referenced = new HashMap<>();
        var secrets = Informers.of(context, Secret.class, REFERENCED_SECRETS);
        for (String name : app.getSpec().secretRefs == null ? List.<String>of() : app.getSpec().secretRefs) {
            secrets.get(new ResourceID(name, namespace)).ifPresent(s -> referenced.put(name, s));
        }
        Optional<Secret> generated = Informers.of(context, Secret.class, "generated-secret")
                .get(new ResourceID(ApplicationPlan.generatedSecretName(app), namespace));
        Instant now = clock.instant();
        Optional<PromotionGate.Hold> promotion = environment.flatMap(env -> promotionHold(app, env, context, now));
        return ApplicationPlanner.plan(app, environment, referenced, generated, promotion, now);
    }

    private static String managedNamespace(Environment env) {
        return env.getStatus() == null ? null : env.getStatus().namespace;
    }

    /**
     * The evidence for the promotion gate: the from-Environment and the Application of the same
     * name in its namespace, read from the primary cache (this controller watches all namespaces).
     */
    private static Optional<PromotionGate.Hold> promotionHold(Application app, Environment env, Context<Application> context, Instant now) {
        var promotion = env.getSpec().promotion;
        if (promotion == null || promotion.from == null) {
            return Optional.empty();
        }
        Optional<Environment> sourceEnv = Informers.of(context, Environment.class, ENVIRONMENTS).get(new ResourceID(promotion.from));
        Optional<Application> source = sourceEnv.flatMap(s -> context.getPrimaryCache()
                .get(new ResourceID(app.getMetadata().getName(), Environments.namespaceOf(s))));
        return PromotionGate.check(app, env, sourceEnv, source, now);
    }
}
