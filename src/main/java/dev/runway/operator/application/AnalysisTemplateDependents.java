package dev.runway.operator.application;

import jakarta.inject.Inject;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Strategy;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.RunwayConfig;
import io.argoproj.v1alpha1.AnalysisTemplate;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** The pre- and post-promotion AnalysisTemplates; each exists only while its analysis is configured. */
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

        abstract Strategy.Analysis settings(Strategy.BlueGreen blueGreen);

        @Override
        String childName(Application app) {
            return ApplicationNames.analysisTemplate(app, phase);
        }

        @Override
        protected AnalysisTemplate desired(Application app, Context<Application> context) {
            return AnalysisTemplates.build(app, ApplicationPlan.of(context), phase, settings(blueGreen(app)),
                    config.prometheus().address());
        }
    }

    /** Before promotion, against the preview Service. */
    @KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
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
    @KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
    public static class PostPromotion extends AnalysisTemplateDependent {
        public PostPromotion() {
            super(AnalysisTemplates.POST);
        }

        @Override
        Strategy.Analysis settings(Strategy.BlueGreen blueGreen) {
            return blueGreen.postPromotionAnalysis;
        }
    }

    public static class PreConfigured implements Condition<AnalysisTemplate, Application> {
        @Override
        public boolean isMet(DependentResource<AnalysisTemplate, Application> d, Application app, Context<Application> c) {
            return blueGreen(app) != null && blueGreen(app).prePromotionAnalysis != null;
        }
    }

    public static class PostConfigured implements Condition<AnalysisTemplate, Application> {
        @Override
        public boolean isMet(DependentResource<AnalysisTemplate, Application> d, Application app, Context<Application> c) {
            return blueGreen(app) != null && blueGreen(app).postPromotionAnalysis != null;
        }
    }
}
