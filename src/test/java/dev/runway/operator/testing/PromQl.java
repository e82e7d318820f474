package dev.runway.operator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;

/**
 * The PromQL of the chart's PrometheusRule and Grafana dashboards, and the metric names it reads.
 * Not a parser (promtool checks syntax); enough to list which series an expression selects, so a
 * test can compare them with what the operator exposes.
 */
public final class PromQl {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    /** Words of the language that are not metric names (functions are recognised by their '('). */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring",
            "group_left", "group_right", "inf", "nan", "Inf", "NaN");

    private PromQl() {
    }

    /** Names of the series {@code expr} selects, e.g. {@code rate(a_total{x="y"}[5m]) / b} gives a_total and b. */
    public static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"") // string literals
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " ") // ranges, subqueries
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " "); // label lists
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(bare);
        while (m.find()) {
            String word = m.group();
            boolean function = bare.substring(m.end()).matches("(?s)\\s*\\(.*");
            boolean numberSuffix = m.start() > 0 && Character.isDigit(bare.charAt(m.start() - 1)); // 5m, 1e3
            if (!function && !numberSuffix && !KEYWORDS.contains(word)) {
                names.add(word);
            }
        }
        return names;
    }

    /** The expression of every rule of a PrometheusRule. */
    public static List<String> ruleExpressions(PrometheusRule rule) {
        List<String> out = new ArrayList<>();
        rule.getSpec().getGroups().forEach(g -> g.getRules().forEach(r -> out.add(r.getExpr().getStrVal())));
        return out;
    }

    /** The dashboards (JSON) a dashboard ConfigMap carries. */
    public static List<JsonNode> dashboards(ConfigMap configMap) {
        List<JsonNode> out = new ArrayList<>();
        for (String json : configMap.getData().values()) {
            try {
                out.add(JSON.readTree(json));
            } catch (java.io.IOException e) {
                throw new AssertionError("ConfigMap " + configMap.getMetadata().getName() + " holds invalid JSON: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Every PromQL expression of a dashboard: panel targets and query variables. */
    public static List<String> dashboardExpressions(JsonNode dashboard) {
        List<String> out = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(v -> {
            String query = v.path("query").path("query").asText("");
            Matcher labelValues = Pattern.compile("^label_values\\((.*),\\s*\\w+\\)$").matcher(query);
            if (labelValues.matches()) {
                out.add(labelValues.group(1)); // Grafana's label_values(selector, label): the selector is PromQL
            }
        });
        return out;
    }

    /**
     * {@code expr} with Grafana's variables replaced by values Prometheus accepts, so promtool can
     * check it: {@code $__rate_interval} and other intervals become 5m, {@code $name} becomes x.
     */
    public static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "5m").replace("$__interval", "5m").replace("$__range", "5m")
                .replaceAll("\\$\\{?\\w+}?", "x");
    }
}
