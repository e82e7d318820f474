package dev.runway.operator.common;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Whether the API server serves a resource, by its discovery API ({@code /apis/<group>/<version>}).
 * Optional integrations (Prometheus Operator, Argo Rollouts) are switched on only when their CRD
 * is present. Answers are cached: a present resource for ten minutes, an absent one for thirty
 * seconds, so installing the CRD later is noticed on the next reconcile after that.
 */
public final class CrdPresence {
    public static final String MONITORING_V1 = "monitoring.coreos.com/v1";
    public static final String PROMETHEUS_RULES = "prometheusrules";
    public static final String SERVICE_MONITORS = "servicemonitors";
    private static final Duration PRESENT_FOR = Duration.ofMinutes(10);
    private static final Duration ABSENT_FOR = Duration.ofSeconds(30);

    private record Answer(boolean served, long until) {
    }

    private static final Map<String, Answer> CACHE = new ConcurrentHashMap<>();

    private CrdPresence() {
    }

    public static final String ARGO_V1ALPHA1 = "argoproj.io/v1alpha1";

    /** Whether Argo Rollouts' Rollout kind is installed. */
    public static boolean argoRollouts(KubernetesClient client) {
        return isServed(client, ARGO_V1ALPHA1, "rollouts");
    }

    /** Whether the PrometheusRule kind of the Prometheus Operator is installed. */
    public static boolean prometheusRules(KubernetesClient client) {
        return isServed(client, MONITORING_V1, PROMETHEUS_RULES);
    }

    /** Whether the ServiceMonitor kind of the Prometheus Operator is installed. */
    public static boolean serviceMonitors(KubernetesClient client) {
        return isServed(client, MONITORING_V1, SERVICE_MONITORS);
    }

    /** Whether {@code plural} is a resource of {@code groupVersion} (e.g. monitoring.coreos.com/v1). */
    public static boolean isServed(KubernetesClient client, String groupVersion, String plural) {
        String key = client.getMasterUrl() + " " + groupVersion + " " + plural;
        long now = System.nanoTime();
        Answer cached = CACHE.get(key);
        if (cached != null && now - cached.until() < 0) {
            return cached.served();
        }
        boolean served = discover(client, groupVersion, plural);
        CACHE.put(key, new Answer(served, now + (served ? PRESENT_FOR : ABSENT_FOR).toNanos()));
        return served;
    }

    /** Forgets every cached answer (tests that install or remove CRDs). */
    public static void forget() {
        CACHE.clear();
    }

    private static boolean discover(KubernetesClient client, String groupVersion, String plural) {
        try {
            APIResourceList resources = client.getApiResources(groupVersion);
            return resources != null && resources.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
