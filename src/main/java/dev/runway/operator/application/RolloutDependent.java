package dev.runway.operator.application;

import java.util.List;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Strategy;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import dev.runway.operator.common.PodTemplates;
import io.argoproj.v1alpha1.Rollout;
import io.argoproj.v1alpha1.RolloutSpec;
import io.argoproj.v1alpha1.rolloutspec.Selector;
import io.argoproj.v1alpha1.rolloutspec.strategy.BlueGreen;
import io.argoproj.v1alpha1.rolloutspec.strategy.Canary;
import io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.PostPromotionAnalysis;
import io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.PrePromotionAnalysis;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/**
 * The Argo Rollout of a BlueGreen or Canary Application. Its pod template is built by the same code as the
 * Deployment's. Not a Deleter: when the Application switches back to RollingUpdate,
 * {@link StrategySwitch} retires the Rollout in an order that keeps pods serving.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class RolloutDependent extends KubernetesDependentResource<Rollout, Application>
        implements Creator<Rollout, Application>, Updater<Rollout, Application>, PlannedChild<Rollout> {
    static final int DEFAULT_SCALE_DOWN_DELAY = 30;

    public RolloutDependent() {
        super(Rollout.class);
    }

    @Override
    protected ResourceID targetSecondaryResourceID(Application app, Context<Application> context) {
        return ResourceID.fromResource(app);
    }

    @Override
    public boolean wanted(Application app, ApplicationPlan plan) {
        return WorkloadConditions.usesRollout(app);
    }

    @Override
    public Rollout planned(Application app, ApplicationPlan plan) {
        return build(app, plan);
    }

    @Override
    protected Rollout desired(Application app, Context<Application> context) {
        return planned(app, ApplicationPlan.of(context));
    }

    static Rollout build(Application app, ApplicationPlan plan) {
        var spec = app.getSpec();
        Strategy.BlueGreen settings = spec.strategy != null && spec.strategy.blueGreen != null ? spec.strategy.blueGreen
                : new Strategy.BlueGreen();
        // A restart goes through spec.restartAt: a pod-template change would be a new revision
        // waiting for promotion.
        PodTemplateSpec template = PodTemplates.forApplication(app, plan.environment(), plan.image(),
                DeploymentDependent.envFrom(app, plan), plan.configHash(), Map.of());
        withResourcesObject(template);

        io.argoproj.v1alpha1.rolloutspec.Strategy strategy = new io.argoproj.v1alpha1.rolloutspec.Strategy();
        if (WorkloadConditions.canary(app)) {
            strategy.setCanary(canary(app, plan));
        } else {
            strategy.setBlueGreen(blueGreen(app, plan, settings));
        }

        RolloutSpec rolloutSpec = new RolloutSpec();
        Selector selector = new Selector();
        selector.setMatchLabels(Labels.selector(app));
        rolloutSpec.setSelector(selector);
        rolloutSpec.setTemplate(template);
        rolloutSpec.setStrategy(strategy);
        rolloutSpec.setRevisionHistoryLimit(10);
        rolloutSpec.setProgressDeadlineSeconds(DeploymentDependent.progressDeadline(spec));
        // Abort a revision that misses its deadline, so the active Service keeps the old version.
        rolloutSpec.setProgressDeadlineAbort(spec.rollback == null || !Boolean.FALSE.equals(spec.rollback.automatic));
        if (spec.autoscaling == null) {
            rolloutSpec.setReplicas(plan.replicas());
        }
        if (plan.restartedAt() != null) {
            rolloutSpec.setRestartAt(java.time.ZonedDateTime.parse(plan.restartedAt()));
        }

        Rollout rollout = new Rollout();
        rollout.setMetadata(new ObjectMetaBuilder()
                .withName(ApplicationNames.workload(app))
                .withNamespace(app.getMetadata().getNamespace())
                .withLabels(Labels.standard(app, "app", plan.environment()))
                .build());
        rollout.setSpec(rolloutSpec);
        return rollout;
    }

    /**
     * Gives every container a {@code resources} object, empty when nothing is set. Argo Rollouts writes
     * the Rollout back (its revision annotation) from its Go types, which always carry one; in the
     * Rollout CRD the containers list is atomic, so that write used to take the whole list from
     * Runway's field manager, and Runway's next reconcile applied the Rollout again to take it back.
     * With the empty object sent too, Argo's write changes nothing in the list.
     */
    static void withResourcesObject(PodTemplateSpec template) {
        for (List<Container> containers : java.util.Arrays.asList(template.getSpec().getContainers(), template.getSpec().getInitContainers())) {
            if (containers != null) {
                containers.stream().filter(c -> c.getResources() == null).forEach(c -> c.setResources(new ResourceRequirements()));
            }
        }
    }

    private static BlueGreen blueGreen(Application app, ApplicationPlan plan, Strategy.BlueGreen settings) {
        BlueGreen blueGreen = new BlueGreen();
        blueGreen.setActiveService(ApplicationNames.workload(app));
        blueGreen.setPreviewService(ApplicationNames.preview(app));
        blueGreen.setAutoPromotionEnabled(autoPromotion(app, plan));
        blueGreen.setScaleDownDelaySeconds(settings.scaleDownDelaySeconds != null ? settings.scaleDownDelaySeconds
                : DEFAULT_SCALE_DOWN_DELAY);
        if (settings.previewReplicas != null) {
            blueGreen.setPreviewReplicaCount(settings.previewReplicas);
        }
        if (settings.prePromotionAnalysis != null) {
            PrePromotionAnalysis pre = new PrePromotionAnalysis();
            pre.setTemplates(List.of(AnalysisTemplates.preTemplateRef(app)));
            pre.setArgs(AnalysisTemplates.preArgs(app));
            blueGreen.setPrePromotionAnalysis(pre);
        }
        if (settings.postPromotionAnalysis != null) {
            PostPromotionAnalysis post = new PostPromotionAnalysis();
            post.setTemplates(List.of(AnalysisTemplates.postTemplateRef(app)));
            post.setArgs(AnalysisTemplates.postArgs(app));
            blueGreen.setPostPromotionAnalysis(post);
        }
        return blueGreen;
    }

    /**
     * A canary without a traffic router: Argo scales the new revision's ReplicaSet to each
     * setWeight's share of the pods behind the Application's Service. The stable revision's pods
     * stay until the last step; an abort scales the canary back to zero.
     */
    private static Canary canary(Application app, ApplicationPlan plan) {
        Canary canary = new Canary();
        canary.setSteps(CanarySteps.build(app, app.getSpec().strategy.canary, plan.defaults().requireApproval()));
        return canary;
    }

    /** spec.strategy.blueGreen.autoPromotion, else the Environment's approval requirement decides. */
    static boolean autoPromotion(Application app, ApplicationPlan plan) {
        return autoPromotion(app, plan.defaults());
    }

    static boolean autoPromotion(Application app, dev.runway.operator.common.TierDefaults defaults) {
        var bg = app.getSpec().strategy == null ? null : app.getSpec().strategy.blueGreen;
        if (bg != null && bg.autoPromotion != null) {
            return bg.autoPromotion;
        }
        return !defaults.requireApproval();
    }
}
