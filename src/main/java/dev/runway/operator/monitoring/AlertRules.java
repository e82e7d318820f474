package dev.runway.operator.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.runway.operator.api.v1alpha1.Monitoring;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleBuilder;

/**
 * The PrometheusRule {@code <app>-slo} of an Application with {@code spec.monitoring.alerts}:
 * error-budget burn-rate alerts ({@link BurnRate}), p95/p99 latency, availability and crash loops.
 * Request metrics are read per {@code namespace} and {@code service} (the labels a ServiceMonitor
 * scrape adds); workload metrics come from kube-state-metrics, or Argo Rollouts for blue-green.
 */
public final class AlertRules {
    public static final int DEFAULT_AVAILABILITY_MINUTES = 10;
    static final String CRASH_LOOP_FOR = "5m";
    static final String LATENCY_FOR = "10m";
    static final String LATENCY_WINDOW = "5m";

    /** Metric names the app exports (configurable: runway.monitoring.*). */
    public record MetricNames(String requests, String latencyBucket) {
        public static final MetricNames DEFAULTS = new MetricNames("http_requests_total", "http_request_duration_seconds_bucket");
    }

    /**
     * Who the rules are about.
     *
     * @param labels      labels of the PrometheusRule object itself
     * @param alertLabels labels on every rule (the Environment's spec.alerting.labels)
     * @param blueGreen   the pods belong to an Argo Rollout (availability from its metrics)
     */
    public record Target(String namespace, String name, Map<String, String> labels, Map<String, String> alertLabels,
            boolean blueGreen, Monitoring.Alerts alerts) {
    }

    private AlertRules() {
    }

    public static String name(String app) {
        return app + "-slo";
    }

    /** Recording rule of the error ratio over {@code window}, e.g. namespace_service:http_requests_errors:ratio_rate5m. */
    public static String errorRatio(MetricNames metrics, String window) {
        return "namespace_service:" + metrics.requests().replaceFirst("_total$", "") + "_errors:ratio_rate" + window;
    }

    public static PrometheusRule build(Target t, MetricNames metrics) {
        List<Rule> rules = new ArrayList<>();
        Monitoring.Alerts a = t.alerts();
        String where = t.namespace() + "/" + t.name();
        String service = "namespace=\"" + t.namespace() + "\",service=\"" + t.name() + "\"";
        if (a.errorRatePercent != null) {
            burnRates(t, metrics, service, where, rules);
        }
        for (var q : List.of(new Object[] { "95", a.latencyP95Ms }, new Object[] { "99", a.latencyP99Ms })) {
            if (q[1] != null) {
                rules.add(latency(t, metrics, service, where, (String) q[0], (Integer) q[1]));
            }
        }
        availability(t, where, rules);
        return new PrometheusRuleBuilder()
                .withNewMetadata()
                    .withName(name(t.name()))
                    .withNamespace(t.namespace())
                    .withLabels(t.labels())
                .endMetadata()
                .withNewSpec()
                    .addNewGroup().withName("runway-slo-" + t.name()).withRules(rules).endGroup()
                .endSpec()
                .build();
    }

    private static void burnRates(Target t, MetricNames m, String service, String where, List<Rule> rules) {
        double budget = t.alerts().errorRatePercent / 100.0;
        for (String w : BurnRate.windows()) {
            String errors = "sum by (namespace, service) (rate(" + m.requests() + "{" + service + ",code=~\"5..\"}[" + w + "]))";
            String all = "sum by (namespace, service) (rate(" + m.requests() + "{" + service + "}[" + w + "]))";
            rules.add(new RuleBuilder().withRecord(errorRatio(m, w)).withExpr(new IntOrString(errors + "\n/\n" + all)).build());
        }
        String slo = number(100 - t.alerts().errorRatePercent);
        for (BurnRate b : BurnRate.TABLE) {
            String threshold = number(b.factor() * budget);
            // The long window first: `and` keeps the left side's value, which the description quotes.
            String expr = errorRatio(m, b.long_()) + "{" + service + "} > " + threshold
                    + "\nand\n" + errorRatio(m, b.short_()) + "{" + service + "} > " + threshold;
            rules.add(alert(t, b.alert(), expr, null, b.severity(),
                    where + " burns its error budget " + number(b.factor()) + "x too fast",
                    "5xx responses of " + where + " exceed " + number(b.factor() * t.alerts().errorRatePercent)
                            + "% over both the last " + b.long_() + " and " + b.short_() + " (" + number(b.factor())
                            + "x the " + number(t.alerts().errorRatePercent) + "% budget of a " + slo
                            + "% SLO; " + b.budgetSpent() + " of the 30-day budget). Now: {{ $value | humanizePercentage }} over "
                            + b.long_() + "."));
        }
    }

    private static Rule latency(Target t, MetricNames m, String service, String where, String quantile, int ms) {
        String expr = "histogram_quantile(0." + quantile + ", sum by (namespace, service, le) (rate(" + m.latencyBucket() + "{"
                + service + "}[" + LATENCY_WINDOW + "])))\n> " + number(ms / 1000.0);
        return alert(t, "LatencyP" + quantile + "High", expr, LATENCY_FOR, "ticket",
                "p" + quantile + " latency of " + where + " is above " + ms + "ms",
                "The " + quantile + "th percentile of request duration of " + where + " has stayed above " + ms + "ms for "
                        + LATENCY_FOR + ". Now: {{ $value | humanizeDuration }}.");
    }

    private static void availability(Target t, String where, List<Rule> rules) {
        int minutes = t.alerts().availabilityMinutes != null ? t.alerts().availabilityMinutes : DEFAULT_AVAILABILITY_MINUTES;
        String available;
        String desired;
        String on;
        if (t.blueGreen()) {
            String sel = "{namespace=\"" + t.namespace() + "\",name=\"" + t.name() + "\"}";
            available = "rollout_info_replicas_available" + sel;
            desired = "rollout_info_replicas_desired" + sel;
            on = " on(namespace, name) ";
        } else {
            String sel = "{namespace=\"" + t.namespace() + "\",deployment=\"" + t.name() + "\"}";
            available = "kube_deployment_status_replicas_available" + sel;
            desired = "kube_deployment_spec_replicas" + sel;
            on = " on(namespace, deployment) ";
        }
        rules.add(alert(t, "ReplicasUnavailable", available + "\n<" + on + desired, minutes + "m", "ticket",
                where + " runs fewer ready pods than desired",
                "Only {{ $value }} pods of " + where + " have been available for " + minutes
                        + " minutes, fewer than desired. `kubectl describe application " + t.name() + " -n " + t.namespace() + "`."));
        String pods = "{namespace=\"" + t.namespace() + "\",pod=~\"" + t.name().replace(".", "\\\\.")
                + "-[a-z0-9]{1,10}-[a-z0-9]{5}\"";
        rules.add(alert(t, "PodCrashLooping",
                "max by (namespace, pod, container) (kube_pod_container_status_waiting_reason" + pods
                        + ",reason=\"CrashLoopBackOff\"}) == 1",
                CRASH_LOOP_FOR, "ticket", "a pod of " + where + " is crash-looping",
                "Container {{ $labels.container }} of pod {{ $labels.pod }} (" + where + ") has been in CrashLoopBackOff for "
                        + CRASH_LOOP_FOR + ". `kubectl logs -p {{ $labels.pod }} -c {{ $labels.container }} -n "
                        + t.namespace() + "`."));
    }

    private static Rule alert(Target t, String alert, String expr, String forDuration, String severity, String summary,
            String description) {
        Map<String, String> labels = new TreeMap<>(t.alertLabels());
        labels.put("severity", severity);
        labels.put("namespace", t.namespace());
        labels.put("application", t.name());
        return new RuleBuilder()
                .withAlert(alert)
                .withExpr(new IntOrString(expr))
                .withFor(forDuration)
                .withLabels(labels)
                .withAnnotations(new TreeMap<>(Map.of("summary", summary, "description", description)))
                .build();
    }

    /** 0.144, 6, 99.5: no trailing zeros, no exponent, locale-independent. */
    static String number(double d) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.6f", d)).stripTrailingZeros().toPlainString();
    }
}
