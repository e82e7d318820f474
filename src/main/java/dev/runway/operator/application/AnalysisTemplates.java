package dev.runway.operator.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Strategy;
import dev.runway.operator.common.Labels;
import io.argoproj.v1alpha1.AnalysisTemplate;
import io.argoproj.v1alpha1.AnalysisTemplateSpec;
import io.argoproj.v1alpha1.analysistemplatespec.Args;
import io.argoproj.v1alpha1.analysistemplatespec.Metrics;
import io.argoproj.v1alpha1.analysistemplatespec.metrics.Provider;
import io.argoproj.v1alpha1.analysistemplatespec.metrics.provider.Prometheus;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/**
 * The AnalysisTemplates of a BlueGreen Application: success rate and p95 latency of the preview
 * Service before promotion, of the active one after. PromQL over the conventional metric names
 * (http_requests_total with a code label, http_request_duration_seconds_bucket), with the target
 * labels a ServiceMonitor gives (namespace, service, pod).
 *
 * <p>Only the new revision's pods count: the pod name starts with the Rollout's name and the
 * revision's pod-template hash (Argo passes it as the {@code revision} argument). Without that,
 * the series the previous revision left under the same Service within the rate window measure the
 * old pods: a preview answering 20 % 5xx was seen passing at 0.97 because the healthy preview
 * before it still filled the window.
 */
final class AnalysisTemplates {
    static final String PRE = "pre-promotion";
    static final String POST = "post-promotion";
    static final String CANARY = "canary";

    private AnalysisTemplates() {
    }

    static AnalysisTemplate build(Application app, ApplicationPlan plan, String phase, Strategy.Analysis analysis,
            String prometheusAddress) {
        List<Metrics> metrics = new ArrayList<>();
        String selector = "namespace=\"{{args.namespace}}\",service=\"{{args.service}}\",pod=~\"{{args.rollout}}-{{args.revision}}-.*\"";
        if (analysis.successRatePercent != null) {
            metrics.add(metric("success-rate", prometheusAddress,
                    "sum(rate(http_requests_total{" + selector + ",code!~\"5..\"}[2m])) / sum(rate(http_requests_total{"
                            + selector + "}[2m]))",
                    "result[0] >= " + fraction(analysis.successRatePercent)));
        }
        if (analysis.latencyP95Ms != null) {
            metrics.add(metric("latency-p95", prometheusAddress,
                    "histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{" + selector + "}[2m])))",
                    "result[0] <= " + String.format(Locale.ROOT, "%.3f", analysis.latencyP95Ms / 1000.0)));
        }
        AnalysisTemplateSpec spec = new AnalysisTemplateSpec();
        spec.setArgs(List.of(arg("service"), arg("namespace"), arg("rollout"), arg("revision")));
        spec.setMetrics(metrics);
        AnalysisTemplate template = new AnalysisTemplate();
        template.setMetadata(new ObjectMetaBuilder().withName(ApplicationNames.analysisTemplate(app, phase)).withNamespace(app.getMetadata().getNamespace())
                .withLabels(Labels.standard(app, "analysis", plan.environment())).build());
        template.setSpec(spec);
        return template;
    }

    private static Metrics metric(String name, String address, String query, String successCondition) {
        Prometheus prometheus = new Prometheus();
        prometheus.setAddress(address);
        prometheus.setQuery(query);
        Provider provider = new Provider();
        provider.setPrometheus(prometheus);
        Metrics metric = new Metrics();
        metric.setName(name);
        metric.setProvider(provider);
        metric.setSuccessCondition(successCondition);
        metric.setInterval("10s");
        metric.setCount(new IntOrString(3));
        metric.setFailureLimit(new IntOrString(1));
        return metric;
    }

    private static Args arg(String name) {
        Args arg = new Args();
        arg.setName(name);
        return arg;
    }

    private static String fraction(double percent) {
        return String.format(Locale.ROOT, "%.4f", percent / 100.0);
    }

    static io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.prepromotionanalysis.Templates preTemplateRef(Application app) {
        var ref = new io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.prepromotionanalysis.Templates();
        ref.setTemplateName(ApplicationNames.analysisTemplate(app, PRE));
        return ref;
    }

    static io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.postpromotionanalysis.Templates postTemplateRef(Application app) {
        var ref = new io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.postpromotionanalysis.Templates();
        ref.setTemplateName(ApplicationNames.analysisTemplate(app, POST));
        return ref;
    }

    /** Pre-promotion analysis looks at the preview Service's pods of the new revision. */
    static List<io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.prepromotionanalysis.Args> preArgs(Application app) {
        var revision = new io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.prepromotionanalysis.Args();
        revision.setName("revision");
        var latest = new io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.prepromotionanalysis.args.ValueFrom();
        latest.setPodTemplateHashValue("Latest");
        revision.setValueFrom(latest);
        return List.of(preArg("service", ApplicationNames.preview(app)), preArg("namespace", app.getMetadata().getNamespace()),
                preArg("rollout", ApplicationNames.workload(app)), revision);
    }

    /** Post-promotion analysis looks at the active Service's pods of the new revision. */
    static List<io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.postpromotionanalysis.Args> postArgs(Application app) {
        var revision = new io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.postpromotionanalysis.Args();
        revision.setName("revision");
        var latest = new io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.postpromotionanalysis.args.ValueFrom();
        latest.setPodTemplateHashValue("Latest");
        revision.setValueFrom(latest);
        return List.of(postArg("service", ApplicationNames.workload(app)), postArg("namespace", app.getMetadata().getNamespace()),
                postArg("rollout", ApplicationNames.workload(app)), revision);
    }

    private static io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.prepromotionanalysis.Args preArg(String name, String value) {
        var arg = new io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.prepromotionanalysis.Args();
        arg.setName(name);
        arg.setValue(value);
        return arg;
    }

    private static io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.postpromotionanalysis.Args postArg(String name, String value) {
        var arg = new io.argoproj.v1alpha1.rolloutspec.strategy.bluegreen.postpromotionanalysis.Args();
        arg.setName(name);
        arg.setValue(value);
        return arg;
    }

    /** A canary analysis step: spec.strategy.canary.analysis against the Service's pods of the new revision. */
    static io.argoproj.v1alpha1.rolloutspec.strategy.canary.steps.Analysis canaryStep(Application app) {
        var template = new io.argoproj.v1alpha1.rolloutspec.strategy.canary.steps.analysis.Templates();
        template.setTemplateName(ApplicationNames.analysisTemplate(app, CANARY));
        var revision = new io.argoproj.v1alpha1.rolloutspec.strategy.canary.steps.analysis.Args();
        revision.setName("revision");
        var latest = new io.argoproj.v1alpha1.rolloutspec.strategy.canary.steps.analysis.args.ValueFrom();
        latest.setPodTemplateHashValue("Latest");
        revision.setValueFrom(latest);
        var analysis = new io.argoproj.v1alpha1.rolloutspec.strategy.canary.steps.Analysis();
        analysis.setTemplates(List.of(template));
        analysis.setArgs(List.of(canaryArg("service", ApplicationNames.workload(app)), canaryArg("namespace", app.getMetadata().getNamespace()),
                canaryArg("rollout", ApplicationNames.workload(app)), revision));
        return analysis;
    }

    private static io.argoproj.v1alpha1.rolloutspec.strategy.canary.steps.analysis.Args canaryArg(String name, String value) {
        var arg = new io.argoproj.v1alpha1.rolloutspec.strategy.canary.steps.analysis.Args();
        arg.setName(name);
        arg.setValue(value);
        return arg;
    }
}
