package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import dev.runway.operator.common.PodTemplates;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The Deployment of a RollingUpdate Application. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class DeploymentDependent extends ApplicationChild<Deployment> {

    /** How long a worker's container must run before its pod counts as available. */
    static final int WORKER_MIN_READY_SECONDS = 10;

    public DeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    String childName(Application app) {
        return ApplicationNames.workload(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return !WorkloadConditions.usesRollout(app);
    }

    @Override
    public Deployment planned(Application app, ApplicationPlan plan) {
        return build(app, plan);
    }

    @Override
    protected Deployment desired(Application app, Context<Application> context) {
        return build(app, ApplicationPlan.of(context));
    }

    static Deployment build(Application app, ApplicationPlan plan) {
        ApplicationSpec spec = app.getSpec();
        var builder = new DeploymentBuilder()
                .withNewMetadata()
                    .withName(ApplicationNames.workload(app))
                    .withNamespace(app.getMetadata().getNamespace())
                    .withLabels(Labels.standard(app, "app", plan.environment()))
                .endMetadata()
                .withNewSpec()
                    .withNewSelector().withMatchLabels(Labels.selector(app)).endSelector()
                    .withTemplate(podTemplate(app, plan))
                    .withRevisionHistoryLimit(10)
                    .withProgressDeadlineSeconds(progressDeadline(spec))
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            .withMaxSurge(rolling(spec, true))
                            .withMaxUnavailable(rolling(spec, false))
                        .endRollingUpdate()
                    .endStrategy()
                .endSpec();
        if (PodTemplates.worker(spec)) {
            // No readiness probe: a worker's pod counts as available once it has run this long without a restart.
            builder.editSpec().withMinReadySeconds(WORKER_MIN_READY_SECONDS).endSpec();
        }
        if (spec.autoscaling == null) {
            // With autoscaling the HPA owns the count: leaving the field out of our apply means
            // the operator never writes it.
            builder.editSpec().withReplicas(plan.replicas()).endSpec();
        }
        return builder.build();
    }

    /** The pod template both workload kinds run. */
    static PodTemplateSpec podTemplate(Application app, ApplicationPlan plan) {
        return PodTemplates.forApplication(app, plan.environment(), plan.image(), envFrom(app, plan), plan.configHash(),
                plan.restartedAt() == null ? Map.of() : Map.of(Labels.RESTARTED_AT_ANNOTATION, plan.restartedAt()));
    }

    /** The pod template paths where spec.podTemplate replaced what Runway set (the same for the Rollout). */
    static List<String> overrides(Application app, ApplicationPlan plan) {
        return PodTemplates.withOverrides(app, plan.environment(), plan.image(), envFrom(app, plan), plan.configHash(), Map.of()).overridden();
    }

    /**
     * Environment sources, lowest precedence first: the effective env, referenced Secrets (a Restore's
     * switch right after the Secret it overrides: {@link RestoredData}), generated values.
     */
    static List<EnvFromSource> envFrom(Application app, ApplicationPlan plan) {
        return RestoredData.overlay(envFrom(app), plan.restoredData());
    }

    private static List<EnvFromSource> envFrom(Application app) {
        List<EnvFromSource> envFrom = new ArrayList<>();
        envFrom.add(PodTemplates.configMapEnv(ApplicationNames.configMap(app)));
        for (String secret : PodTemplates.referencedSecrets(app.getSpec())) {
            envFrom.add(PodTemplates.secretEnv(secret));
        }
        if (app.getSpec().generatedSecrets != null && !app.getSpec().generatedSecrets.isEmpty()) {
            envFrom.add(PodTemplates.secretEnv(ApplicationNames.generatedSecret(app)));
        }
        return envFrom;
    }

    /** Seconds a revision may take to become available, from the settings of the strategy in use. */
    static int progressDeadline(ApplicationSpec spec) {
        if (spec.strategy != null && spec.strategy.rollingUpdate != null && spec.strategy.rollingUpdate.progressDeadlineSeconds != null) {
            return spec.strategy.rollingUpdate.progressDeadlineSeconds;
        }
        if (spec.strategy != null && spec.strategy.blueGreen != null && spec.strategy.blueGreen.progressDeadlineSeconds != null) {
            return spec.strategy.blueGreen.progressDeadlineSeconds;
        }
        if (spec.strategy != null && spec.strategy.canary != null && spec.strategy.canary.progressDeadlineSeconds != null) {
            return spec.strategy.canary.progressDeadlineSeconds;
        }
        return 600;
    }

    private static IntOrString rolling(ApplicationSpec spec, boolean surge) {
        var rolling = spec.strategy == null ? null : spec.strategy.rollingUpdate;
        IntOrString value = rolling == null ? null : surge ? rolling.maxSurge : rolling.maxUnavailable;
        return value != null ? value : new IntOrString("25%");
    }
}
