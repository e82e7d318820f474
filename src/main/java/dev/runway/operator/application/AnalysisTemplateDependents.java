package dev.runway.operator.application;

import jakarta.inject.Inject;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Strategy;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import dev.runway.operator.common.RunwayConfig;
import io.argoproj.v1alpha1.AnalysisTemplate;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/** The pre-/post-promotion and canary AnalysisTemplates; each exists only while its analysis is configured. */
final class AnalysisTemplateDependents {
    private AnalysisTemplateDependents() {
    }

    private static Strategy.BlueGreen blueGreen(Application app) {
        var strategy = app.getSpec().strategy;
        return strategy == null || strategy.type != Strategy.Type.BlueGreen ? null : strategy.blueGreen;
    }

    /** One AnalysisTemplate; the phase decides its name and which analysis settings it carries. */
    abstract static class AnalysisTemplateDependent extends ApplicationChild<AnalysisTemplate> {
        @Inject
        RunwayConfig config;

        private final String phase;

        AnalysisTemplateDependent(String phase) {
            super(AnalysisTemplate.class);
            this.phase = phase;
        }

        /** The thresholds this template checks, or null when the Application asks for none. */
        Strategy.Analysis settings(Application app) {
            Strategy.BlueGreen bg = blueGreen(app);
            return bg == null ? null : settings(bg);
        }

        Strategy.Analysis settings(Strategy.BlueGreen blueGreen) {
            return null;
        }

        @Override
        String childName(Application app) {
            return ApplicationNames.analysisTemplate(app, phase);
        }

        @Override
        public boolean wanted(Application app, ApplicationPlan plan) {
            return settings(app) != null;
        }

        @Override
        public AnalysisTemplate planned(Application app, ApplicationPlan plan) {
            return AnalysisTemplates.build(app, plan, phase, settings(app), config.prometheus().address());
        }

        @Override
        protected AnalysisTemplate desired(Application app, Context<Application> context) {
            return planned(app, ApplicationPlan.of(context));
        }
    }

    /** Before promotion, against the preview Service. */
    @KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
    public static class PrePromotion extends AnalysisTemplateDependent {
        public PrePromotion() {
            super(AnalysisTemplates.PRE);
        }

        @Override
        Strategy.Analysis settings(Strategy.BlueGreen blueGreen) {
            return blueGreen.prePromotionAnalysis;
        }
    }

    /** After promotion, against the active Service. */
    @KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
    public static class PostPromotion extends AnalysisTemplateDependent {
        public PostPromotion() {
            super(AnalysisTemplates.POST);
        }

        @Override
        Strategy.Analysis settings(Strategy.BlueGreen blueGreen) {
            return blueGreen.postPromotionAnalysis;
        }
    }

    /** The analysis steps of a canary, against the Application's Service. */
    @KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
    public static class CanaryAnalysis extends AnalysisTemplateDependent {
        public CanaryAnalysis() {
            super(AnalysisTemplates.CANARY);
        }

        @Override
        Strategy.Analysis settings(Application app) {
            var strategy = app.getSpec().strategy;
            return strategy == null || strategy.type != Strategy.Type.Canary || strategy.canary == null ? null : strategy.canary.analysis;
        }
    }
}
