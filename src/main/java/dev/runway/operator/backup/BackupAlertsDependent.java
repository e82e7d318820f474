package dev.runway.operator.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.common.Labels;
import dev.runway.operator.common.OwnFieldsStore;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleBuilder;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;

/**
 * {@code <policy>-backup-alerts}: BackupStale (after 10 minutes), BackupFailed and VerificationFailed (at once) for one policy,
 * on the gauges {@link BackupMetrics} exports. Activated only while the Prometheus Operator's CRD
 * is installed (see {@link dev.runway.operator.common.IsPrometheusRuleInstalled}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR + "," + BackupNames.POLICY_LABEL, namespaces = Constants.WATCH_ALL_NAMESPACES,
        followControllerNamespaceChanges = false, itemStore = OwnFieldsStore.class))
public class BackupAlertsDependent extends CRUDKubernetesDependentResource<PrometheusRule, BackupPolicy> {

    public BackupAlertsDependent() {
        super(PrometheusRule.class);
    }

    @Override
    protected PrometheusRule desired(BackupPolicy policy, Context<BackupPolicy> context) {
        return build(policy);
    }

    static PrometheusRule build(BackupPolicy policy) {
        String ns = policy.getMetadata().getNamespace();
        String name = policy.getMetadata().getName();
        String sel = "{namespace=\"" + ns + "\",policy=\"" + name + "\"}";
        String on = " on(namespace, policy) ";
        String lastSuccess = BackupMetrics.LAST_SUCCESS + sel;
        String threshold = BackupMetrics.STALE_THRESHOLD + sel;
        String stale = "(time() - " + lastSuccess + ") >" + on + threshold
                + "\nor" + on + "((time() - " + BackupMetrics.CREATED + sel + ") >" + on + threshold
                + " unless" + on + lastSuccess + ")";
        String failed = BackupMetrics.LAST_FAILURE + sel + "\nunless" + on + "(" + lastSuccess + " >" + on
                + BackupMetrics.LAST_FAILURE + sel + ")";
        String verification = BackupMetrics.VERIFICATION_PASSED + sel + " == 0";
        String where = "BackupPolicy " + ns + "/" + name;
        List<Rule> rules = new ArrayList<>(List.of(
                rule("BackupStale", stale, "10m", "critical", where + " has no recent backup",
                        "The newest successful backup of " + where + " is older than " + (Objectives.recoveryPoint(policy.getSpec()).isPresent()
                                ? "spec.objectives.recoveryPoint (" + policy.getSpec().objectives.recoveryPoint + ")" : "twice the schedule interval")
                                + " (or none succeeded since the policy was created). Check `kubectl describe backuppolicy "
                                + name + " -n " + ns + "` and its Jobs (`kubectl get jobs -n " + ns + " -l "
                                + BackupNames.POLICY_LABEL + "=" + name + "`)."),
                rule("BackupFailed", failed, null, "warning", where + ": the last backup failed",
                        "The newest backup Job of " + where + " failed and no backup has succeeded since. "
                                + "status.lastFailure says why; `kubectl logs job/<job> -n " + ns + "` while the Job exists."),
                rule("VerificationFailed", verification, null, "warning", where + ": restoring the newest backup failed",
                        "The verification Job could not restore the newest backup of " + where
                                + " into a scratch database; status.lastVerification says why.")));
        if (Objectives.recoveryTime(policy.getSpec()).isPresent()) {
            rules.add(rule("RecoveryTimeObjectiveMissed", BackupMetrics.LAST_VERIFICATION_DURATION + sel + " >" + on
                    + BackupMetrics.RECOVERY_TIME_OBJECTIVE + sel, null, "warning", where + ": a restore takes longer than its objective",
                    "The newest verification of " + where + " took longer to restore the newest backup than spec.objectives.recoveryTime ("
                            + policy.getSpec().objectives.recoveryTime + "); the RecoveryTimeObjective condition says by how much."));
        }
        return new PrometheusRuleBuilder()
                .withNewMetadata()
                    .withName(BackupNames.alerts(policy))
                    .withNamespace(ns)
                    .withLabels(BackupNames.labels(policy, "alerts"))
                .endMetadata()
                .withNewSpec()
                    .addNewGroup()
                        .withName("runway-backup-" + name)
                        .withRules(rules)
                    .endGroup()
                .endSpec()
                .build();
    }

    private static Rule rule(String alert, String expr, String forDuration, String severity, String summary, String description) {
        return new RuleBuilder()
                .withAlert(alert)
                .withExpr(new IntOrString(expr))
                .withFor(forDuration)
                .withLabels(Map.of("severity", severity))
                .withAnnotations(new java.util.TreeMap<>(Map.of("summary", summary, "description", description)))
                .build();
    }
}
