package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.operator.api.v1alpha1.Monitoring;
import dev.runway.operator.monitoring.AlertRules;
import dev.runway.operator.testing.GoldenFiles;
import dev.runway.operator.testing.HelmChart;
import dev.runway.operator.testing.PromQl;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;

/**
 * The PromQL Runway generates, checked by Prometheus itself: every golden PrometheusRule parses
 * ({@code promtool check rules}), and the burn-rate alerts fire on synthetic series exactly when
 * designed ({@code promtool test rules}). promtool is built from the pinned Prometheus module by
 * {@code hack/build-binaries.sh promtool}.
 */
@Tag(Tiers.UNIT)
class PromQlRulesTest {
    static final String NS = "shop-prod";
    static final String APP = "checkout";
    static final Map<String, String> ENV_LABELS = Map.of("team", "shop", "route", "pagerduty");

    static Stream<Path> goldenRules() throws IOException {
        try (Stream<Path> files = Files.walk(GoldenFiles.ROOT)) {
            return files.filter(p -> p.getFileName().toString().startsWith("out-PrometheusRule-")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenRules")
    void goldenRulesPassPromtoolCheck(Path golden, @TempDir Path dir) throws Exception {
        PrometheusRule rule = Serialization.unmarshal(Files.readString(golden), PrometheusRule.class);
        Path file = writeRuleFile(dir, rule);
        Result r = promtool(dir, "check", "rules", file.toString());
        assertThat(r.exit()).as("promtool check rules %s:\n%s", golden, r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void goldenRulesIncludeTheApplicationSloRule() throws IOException {
        assertThat(goldenRules().map(p -> p.getFileName().toString())).contains("out-PrometheusRule-checkout-slo.yaml");
    }

    /**
     * Budget 1% (a 99% SLO); thresholds: fast 14.4 × 1% = 14.4%, slow 6%, steady 1%.
     * Requests grow by 100 per minute, of which E are 5xx, so every window's error ratio is E%:
     * <ul>
     * <li>E = 20: 20% > 14.4% over 1h and 5m → ErrorBudgetBurnFast (page) fires, with the Environment's labels;</li>
     * <li>E = 8: 8% < 14.4% → not fast; 8% > 6% over 6h and 30m → ErrorBudgetBurnSlow fires;</li>
     * <li>E = 2: 2% < 6% → neither fast nor slow; 2% > 1% over 3d and 6h → only ErrorBudgetBurnSteady fires.</li>
     * </ul>
     * Each scenario is its own series (service label), evaluated at 2h: windows longer than the data
     * (6h, 3d) see the ratio of what exists, which is the same E%.
     */
    @Test
    void burnRateAlertsFireAsDesigned(@TempDir Path dir) throws Exception {
        List<String> tests = new ArrayList<>();
        for (int percent : List.of(20, 8, 2)) {
            String app = APP + percent;
            writeRuleFile(dir, AlertRules.build(target(app, 1.0), AlertRules.MetricNames.DEFAULTS), app + ".yaml");
            String series = "http_requests_total{namespace=\"" + NS + "\",service=\"" + app + "\"";
            tests.add("""
                      - interval: 1m
                        name: %1$d%% errors
                        input_series:
                          - series: '%2$s,code="200"}'
                            values: '0+%3$dx180'
                          - series: '%2$s,code="500"}'
                            values: '0+%1$dx180'
                        promql_expr_test:
                          - expr: round(namespace_service:http_requests_errors:ratio_rate5m{service="%4$s"}, 0.0001)
                            eval_time: 2h
                            exp_samples:
                              - labels: '{namespace="%5$s",service="%4$s"}'
                                value: %6$s
                        alert_rule_test:
                    """.formatted(percent, series, 100 - percent, app, NS, String.valueOf(percent / 100.0))
                    + expectations(app, percent));
        }
        StringBuilder file = new StringBuilder("rule_files:\n");
        for (int percent : List.of(20, 8, 2)) {
            file.append("  - ").append(APP).append(percent).append(".yaml\n");
        }
        file.append("evaluation_interval: 1m\ntests:\n");
        tests.forEach(file::append);
        Path test = dir.resolve("burn-rate-test.yaml");
        Files.writeString(test, file.toString());
        Result r = promtool(dir, "test", "rules", test.toString());
        assertThat(r.exit()).as("promtool test rules:\n%s\n--- test file:\n%s", r.output(), file).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    /** The alert_rule_test entries of one scenario: which of the three burn alerts fire at 2h. */
    private static String expectations(String app, int percent) {
        boolean fast = percent > 14.4;
        boolean slow = percent > 6;
        boolean steady = percent > 1;
        StringBuilder out = new StringBuilder();
        out.append(expect(app, "ErrorBudgetBurnFast", "page", fast, percent));
        out.append(expect(app, "ErrorBudgetBurnSlow", "ticket", slow, percent));
        out.append(expect(app, "ErrorBudgetBurnSteady", "ticket", steady, percent));
        return out.toString();
    }

    private static String expect(String app, String alert, String severity, boolean fires, int percent) {
        String head = "      - eval_time: 2h\n        alertname: " + alert + "\n";
        if (!fires) {
            return head + "        exp_alerts: []\n";
        }
        // The description quotes the long window's ratio, rendered by humanizePercentage.
        Rule rule = AlertRules.build(target(app, 1.0), AlertRules.MetricNames.DEFAULTS).getSpec().getGroups().get(0)
                .getRules().stream().filter(r -> alert.equals(r.getAlert())).findFirst().orElseThrow();
        String description = rule.getAnnotations().get("description").replace("{{ $value | humanizePercentage }}", percent + "%");
        return head + "        exp_alerts:\n"
                + "          - exp_labels: {severity: " + severity + ", team: shop, route: pagerduty, namespace: " + NS
                + ", application: " + app + ", service: " + app + "}\n"
                + "            exp_annotations:\n"
                + "              summary: " + quote(rule.getAnnotations().get("summary")) + "\n"
                + "              description: " + quote(description) + "\n";
    }

    private static AlertRules.Target target(String app, double budgetPercent) {
        Monitoring.Alerts alerts = new Monitoring.Alerts();
        alerts.errorRatePercent = budgetPercent;
        return new AlertRules.Target(NS, app, Map.of(), ENV_LABELS, false, alerts);
    }

    /** The chart's operator PrometheusRule (monitoring.prometheusRule) parses and uses Prometheus' template syntax correctly. */
    @Test
    void chartOperatorRulePassesPromtoolCheck(@TempDir Path dir) throws Exception {
        PrometheusRule rule = HelmChart.one(HelmChart.render("runway", "runway-system", CHART_MONITORING), PrometheusRule.class);
        assertThat(rule.getSpec().getGroups().get(0).getRules()).extracting(Rule::getAlert)
                .containsExactly("RunwayOperatorDown", "RunwayReconcileErrorsHigh", "RunwayResourcesStalled", "RunwayBackupsNotFresh");
        Result r = promtool(dir, "check", "rules", writeRuleFile(dir, rule).toString());
        assertThat(r.exit()).as("promtool check rules:\n%s", r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: 4 rules found");
    }

    /**
     * The operator's alerts on synthetic series ({@code promtool test rules}), job label as the
     * chart's ServiceMonitor scrapes it: 30% of Application reconciles failing pages
     * RunwayReconcileErrorsHigh, 5% of Environment reconciles does not; a Stalled MigrationJob fires
     * RunwayResourcesStalled after 15m and not before; without any successful scrape RunwayOperatorDown fires.
     */
    @Test
    void chartOperatorAlertsFireAsDesigned(@TempDir Path dir) throws Exception {
        PrometheusRule rule = HelmChart.one(HelmChart.render("runway", "runway-system", CHART_MONITORING), PrometheusRule.class);
        writeRuleFile(dir, rule, "operator.yaml");
        String job = "job=\"runway-runway-operator-metrics\"";
        String test = """
                rule_files: [operator.yaml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'up{%1$s,namespace="runway-system"}'
                        values: '1x40'
                      - series: 'operator_sdk_reconciliations_started_total{%1$s,kind="Application",name="shop"}'
                        values: '0+10x40'
                      - series: 'operator_sdk_reconciliations_failed_total{%1$s,kind="Application",name="shop"}'
                        values: '0+3x40'
                      - series: 'operator_sdk_reconciliations_started_total{%1$s,kind="Environment",name="prod"}'
                        values: '0+20x40'
                      - series: 'operator_sdk_reconciliations_failed_total{%1$s,kind="Environment",name="prod"}'
                        values: '0+1x40'
                      - series: 'runway_resources_stalled{%1$s,kind="MigrationJob",instance="leader"}'
                        values: '1x40'
                      - series: 'runway_resources_stalled{%1$s,kind="MigrationJob",instance="standby"}'
                        values: '0x40'
                      - series: 'runway_backuppolicies_not_fresh{%1$s,instance="leader"}'
                        values: '0x40'
                    alert_rule_test:
                      - {eval_time: 10m, alertname: RunwayResourcesStalled, exp_alerts: []}
                      - eval_time: 30m
                        alertname: RunwayResourcesStalled
                        exp_alerts:
                          - exp_labels: {severity: warning, kind: MigrationJob}
                            exp_annotations: %2$s
                      - eval_time: 30m
                        alertname: RunwayReconcileErrorsHigh
                        exp_alerts:
                          - exp_labels: {severity: warning, kind: Application}
                            exp_annotations: %3$s
                      - {eval_time: 30m, alertname: RunwayOperatorDown, exp_alerts: []}
                      - {eval_time: 30m, alertname: RunwayBackupsNotFresh, exp_alerts: []}
                  - interval: 1m
                    input_series:
                      - series: 'up{job="something-else"}'
                        values: '1x20'
                    alert_rule_test:
                      - eval_time: 10m
                        alertname: RunwayOperatorDown
                        exp_alerts:
                          - exp_labels: {severity: critical}
                            exp_annotations: %4$s
                """.formatted(job, annotations(rule, "RunwayResourcesStalled", "1", "MigrationJob"),
                annotations(rule, "RunwayReconcileErrorsHigh", "30%", "Application"),
                annotations(rule, "RunwayOperatorDown", "", ""));
        assertPromtoolTestPasses(dir, test);
    }

    /**
     * With shards, each shard has its own RunwayOperatorDown (the ServiceMonitor copies the pods'
     * runway.dev/shard label to runway_dev_shard): shard b not scraped alerts for b alone while the
     * default shard and a are up; the default shard down alerts for it alone; Stalled resources are
     * summed over the shards (each process counts its own), the standby replicas' zeros left out.
     */
    @Test
    void chartOperatorAlertsArePerShard(@TempDir Path dir) throws Exception {
        List<HasMetadata> objects = HelmChart.render("runway", "runway-system",
                "shards: [a, b]\nmonitoring: {prometheusRule: {enabled: true}, serviceMonitor: {enabled: true}}");
        assertThat(HelmChart.one(objects, io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class).getSpec().getPodTargetLabels())
                .containsExactly("runway.dev/shard");
        PrometheusRule rule = HelmChart.one(objects, PrometheusRule.class);
        assertThat(rule.getSpec().getGroups().get(0).getRules()).extracting(Rule::getAlert)
                .containsExactly("RunwayOperatorDown", "RunwayOperatorDown", "RunwayOperatorDown", "RunwayReconcileErrorsHigh",
                        "RunwayResourcesStalled", "RunwayBackupsNotFresh");
        writeRuleFile(dir, rule, "operator.yaml");
        Result check = promtool(dir, "check", "rules", dir.resolve("operator.yaml").toString());
        assertThat(check.exit()).as("promtool check rules:\n%s", check.output()).isZero();
        String job = "job=\"runway-runway-operator-metrics\"";
        String test = """
                rule_files: [operator.yaml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'up{%1$s,instance="default-leader"}'
                        values: '1x20'
                      - series: 'up{%1$s,runway_dev_shard="a",instance="a-leader"}'
                        values: '1x20'
                      - series: 'up{%1$s,runway_dev_shard="b",instance="b-leader"}'
                        values: '0x20'
                      - series: 'runway_resources_stalled{%1$s,kind="Application",instance="default-leader"}'
                        values: '1x40'
                      - series: 'runway_resources_stalled{%1$s,kind="Application",runway_dev_shard="a",instance="a-leader"}'
                        values: '2x40'
                      - series: 'runway_resources_stalled{%1$s,kind="Application",runway_dev_shard="a",instance="a-standby"}'
                        values: '0x40'
                    alert_rule_test:
                      - eval_time: 10m
                        alertname: RunwayOperatorDown
                        exp_alerts:
                          - exp_labels: {severity: critical, shard: b}
                            exp_annotations: %2$s
                      - eval_time: 30m
                        alertname: RunwayResourcesStalled
                        exp_alerts:
                          - exp_labels: {severity: warning, kind: Application}
                            exp_annotations: %3$s
                  - interval: 1m
                    input_series:
                      - series: 'up{%1$s,runway_dev_shard="a",instance="a-leader"}'
                        values: '1x20'
                      - series: 'up{%1$s,runway_dev_shard="b",instance="b-leader"}'
                        values: '1x20'
                    alert_rule_test:
                      - eval_time: 10m
                        alertname: RunwayOperatorDown
                        exp_alerts:
                          - exp_labels: {severity: critical, shard: default}
                            exp_annotations: %4$s
                """.formatted(job, annotations(rule, 2), annotations(rule, "RunwayResourcesStalled", "3", "Application"),
                annotations(rule, 0));
        assertPromtoolTestPasses(dir, test);
    }

    /** {@code promtool test rules} of the operator's rule file ({@code operator.yaml} in {@code dir}) with {@code test}. */
    private static void assertPromtoolTestPasses(Path dir, String test) throws Exception {
        Path file = dir.resolve("operator-test.yaml");
        Files.writeString(file, test);
        Result r = promtool(dir, "test", "rules", file.toString());
        assertThat(r.exit()).as("promtool test rules:\n%s\n--- test file:\n%s", r.output(), test).isZero();
    }

    /** The annotations of the RunwayOperatorDown rule of the shard at {@code index} (0: the default shard), as a YAML flow map. */
    private static String annotations(PrometheusRule rule, int index) {
        Rule r = rule.getSpec().getGroups().get(0).getRules().stream().filter(x -> "RunwayOperatorDown".equals(x.getAlert()))
                .skip(index).findFirst().orElseThrow();
        StringBuilder out = new StringBuilder("{");
        r.getAnnotations().forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append(": ").append(quote(v)));
        return out.append("}").toString();
    }

    /** The annotations of {@code alert} as Prometheus renders them for one alert, as a YAML flow map. */
    private static String annotations(PrometheusRule rule, String alert, String value, String kind) {
        Rule r = rule.getSpec().getGroups().get(0).getRules().stream().filter(x -> alert.equals(x.getAlert())).findFirst().orElseThrow();
        StringBuilder out = new StringBuilder("{");
        r.getAnnotations().forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(k).append(": ").append(quote(v
                .replace("{{ $value | humanizePercentage }}", value).replace("{{ $value }}", value).replace("{{ $labels.kind }}", kind))));
        return out.append("}").toString();
    }

    /** Every PromQL expression of the chart's Grafana dashboards parses (each wrapped in a recording rule for promtool). */
    @Test
    void chartDashboardExpressionsPassPromtoolCheck(@TempDir Path dir) throws Exception {
        List<ConfigMap> dashboards = HelmChart.all(HelmChart.render("runway", "runway-system", CHART_MONITORING), ConfigMap.class);
        List<Map<String, String>> rules = new ArrayList<>();
        for (ConfigMap cm : dashboards) {
            for (JsonNode dashboard : PromQl.dashboards(cm)) {
                for (String expr : PromQl.dashboardExpressions(dashboard)) {
                    rules.add(Map.of("record", "dashboard:expression" + rules.size(), "expr", PromQl.withoutGrafanaVariables(expr)));
                }
            }
        }
        assertThat(rules).hasSizeGreaterThan(10);
        Path file = dir.resolve("dashboards.yaml");
        Files.writeString(file, Serialization.asYaml(Map.of("groups", List.of(Map.of("name", "dashboards", "rules", rules)))));
        Result r = promtool(dir, "check", "rules", file.toString());
        assertThat(r.exit()).as("promtool check rules (dashboard expressions):\n%s\n%s", r.output(), Files.readString(file)).isZero();
        assertThat(r.output()).contains("SUCCESS: " + rules.size() + " rules found");
    }

    /** The applications dashboard reads the series the per-Application rules read, by their default names. */
    @Test
    void applicationsDashboardUsesTheMonitoringDefaultMetricNames() {
        ConfigMap cm = HelmChart.all(HelmChart.render("runway", "runway-system", CHART_MONITORING), ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().endsWith("-dashboard-applications")).findFirst().orElseThrow();
        Set<String> names = new TreeSet<>();
        PromQl.dashboardExpressions(PromQl.dashboards(cm).get(0)).forEach(e -> names.addAll(PromQl.metricNames(e)));
        assertThat(names).containsExactlyInAnyOrder(AlertRules.MetricNames.DEFAULTS.requests(), AlertRules.MetricNames.DEFAULTS.latencyBucket(),
                "kube_deployment_status_replicas_available", "kube_deployment_spec_replicas");
        AlertRules.Target everyAlert = target(APP, 1.0);
        everyAlert.alerts().latencyP95Ms = 500;
        everyAlert.alerts().latencyP99Ms = 1500;
        String rules = Serialization.asYaml(AlertRules.build(everyAlert, AlertRules.MetricNames.DEFAULTS));
        names.forEach(n -> assertThat(rules).as("the per-Application PrometheusRule reads %s too", n).contains(n));
    }

    static final String CHART_MONITORING = "monitoring: {prometheusRule: {enabled: true}, dashboards: {enabled: true}}";

    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static Path writeRuleFile(Path dir, PrometheusRule rule) throws IOException {
        return writeRuleFile(dir, rule, rule.getMetadata().getName() + ".yaml");
    }

    /** The PrometheusRule's spec is a Prometheus rule file: {groups: [...]}. */
    private static Path writeRuleFile(Path dir, PrometheusRule rule, String name) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, Serialization.asYaml(Map.of("groups", rule.getSpec().getGroups())));
        return file;
    }

    record Result(int exit, String output) {
    }

    static Result promtool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(promtoolBinary().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool %s did not finish within 120s", String.join(" ", args));
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** ~/.cache/runway/bin/promtool-$PROMETHEUS_VERSION/promtool (or under $RUNWAY_CACHE), as hack/build-binaries.sh builds it. */
    static Path promtoolBinary() throws IOException {
        String version = dev.runway.operator.testing.LocalControlPlane.pinned("PROMETHEUS_VERSION");
        Path binary = dev.runway.operator.testing.LocalControlPlane.cacheDir().resolve("bin").resolve("promtool-" + version).resolve("promtool");
        if (!Files.isExecutable(binary)) {
            fail("promtool " + version + " not found at " + binary + "; build it with: bash hack/build-binaries.sh promtool");
        }
        return binary;
    }
}
