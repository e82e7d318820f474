package dev.runway.operator.common;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether an optional integration's CRD (Argo Rollouts, Prometheus Operator) is installed.
 * Answers are cached briefly: reconciles ask often, CRDs come and go rarely, and a CRD installed
 * later is noticed within the cache time without restarting the operator.
 */
public final class CrdPresence {
    public static final String ROLLOUTS = "rollouts.argoproj.io";
    public static final String ANALYSIS_TEMPLATES = "analysistemplates.argoproj.io";
    public static final String PROMETHEUS_RULES = "prometheusrules.monitoring.coreos.com";
    public static final String SERVICE_MONITORS = "servicemonitors.monitoring.coreos.com";
    static final Duration CACHE = Duration.ofSeconds(10);

    private record Answer(boolean installed, long at) {
    }

    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();

    private CrdPresence() {
    }

    public static boolean isInstalled(KubernetesClient client, String crd) {
        long now = System.nanoTime();
        Answer cached = ANSWERS.get(crd);
        if (cached != null && now - cached.at() < CACHE.toNanos()) {
            return cached.installed();
        }
        boolean installed;
        try {
            installed = client.apiextensions().v1().customResourceDefinitions().withName(crd).get() != null;
        } catch (KubernetesClientException e) {
            // Not allowed to read CRDs, or the API server is away: keep the last answer if there is one.
            installed = cached != null && cached.installed();
        }
        ANSWERS.put(crd, new Answer(installed, now));
        return installed;
    }
}
