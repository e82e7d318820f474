package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Volume;
import dev.runway.operator.common.PodVolumes;
import dev.runway.operator.monitoring.AlertRules;

/**
 * The names of an Application's children, in one place. Admission keeps an Application's name a
 * DNS-1035 label of at most 55 characters, so that the longest name that must be a label,
 * {@code <name>-preview}, fits in 63 (common/ChildNames): no name here needs cutting.
 */
public final class ApplicationNames {
    /** The suffix of the generated Secret; an earlier Application's Secret is found by it. */
    static final String GENERATED_SECRET_SUFFIX = "-generated";

    private ApplicationNames() {
    }

    /** The Deployment or Rollout, its Service, HPA, PDB, Ingress and ServiceMonitor: the Application's own name. */
    public static String workload(Application app) {
        return app.getMetadata().getName();
    }

    /** The ConfigMap of spec.env and the Environment's config. */
    public static String configMap(Application app) {
        return app.getMetadata().getName() + "-env";
    }

    /** The Secret of spec.generatedSecrets. */
    public static String generatedSecret(Application app) {
        return app.getMetadata().getName() + GENERATED_SECRET_SUFFIX;
    }

    /** The Service Argo Rollouts points at the new revision before promotion. */
    public static String preview(Application app) {
        return app.getMetadata().getName() + "-preview";
    }

    /** The AnalysisTemplate of a promotion phase (pre-promotion, post-promotion). */
    public static String analysisTemplate(Application app, String phase) {
        return app.getMetadata().getName() + "-" + phase;
    }

    /** The PrometheusRule of spec.monitoring's SLO alerts. */
    public static String alertRules(Application app) {
        return AlertRules.name(app.getMetadata().getName());
    }

    /** The TLS Secret of the Ingress when spec.ingress.tls names none. */
    public static String tlsSecret(Application app) {
        return app.getMetadata().getName() + "-tls";
    }

    /** The PVC a claim volume mounts (the rule is the pod template's, shared with MigrationJobs). */
    public static String claim(Application app, Volume volume) {
        return PodVolumes.claimName(app, volume);
    }
}
