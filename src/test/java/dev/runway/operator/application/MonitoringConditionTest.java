package dev.runway.operator.application;

import dev.runway.operator.api.v1alpha1.ConditionTypes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.common.ConditionFactory;
import dev.runway.operator.testing.GoldenFiles;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Condition;

/** The Monitoring condition: optional, so it reports the Prometheus Operator's absence without touching Ready. */
@Tag(Tiers.UNIT)
class MonitoringConditionTest {
    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    final ApplicationStatusFactory factory = new ApplicationStatusFactory(clock);
    final Application app = GoldenFiles.read(GoldenFiles.ROOT.resolve("application/monitoring"), "in-Application.yaml", Application.class);

    ApplicationStatus readyStatus() {
        ApplicationStatus status = new ApplicationStatus();
        new ConditionFactory(clock).set(status.conditions, ConditionFactory.READY, true, "RolloutComplete", "2/2 pods ready", 1L);
        return status;
    }

    @Test
    void missingCrdsMakeMonitoringFalseWithARemedyAndLeaveReadyAlone() {
        ApplicationStatus before = readyStatus();
        ApplicationStatus status = readyStatus();
        boolean missing = factory.monitoring(status, app,
                List.of("servicemonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com"));

        assertThat(missing).isTrue();
        Condition monitoring = ConditionFactory.find(status.conditions, ConditionTypes.MONITORING).orElseThrow();
        assertThat(monitoring.getStatus()).isEqualTo("False");
        assertThat(monitoring.getReason()).isEqualTo("PrometheusOperatorNotInstalled");
        assertThat(monitoring.getMessage()).contains("servicemonitors.monitoring.coreos.com", "prometheusrules.monitoring.coreos.com",
                "install the Prometheus Operator");
        assertThat(ConditionFactory.isTrue(status.conditions, ConditionFactory.READY)).isTrue();
        assertThat(factory.transitions(before, status))
                .anySatisfy(t -> {
                    assertThat(t.warning()).isTrue();
                    assertThat(t.reason()).isEqualTo("PrometheusOperatorNotInstalled");
                });
        assertThat(factory.transitions(status, status)).as("reported once, not on every reconcile")
                .noneMatch(t -> t.reason().equals("PrometheusOperatorNotInstalled"));
    }

    @Test
    void installedCrdsMakeMonitoringTrueAndNoMonitoringRemovesTheCondition() {
        ApplicationStatus status = readyStatus();
        assertThat(factory.monitoring(status, app, List.of())).isFalse();
        assertThat(ConditionFactory.isTrue(status.conditions, ConditionTypes.MONITORING)).isTrue();

        app.getSpec().monitoring = null;
        assertThat(factory.monitoring(status, app, List.of("prometheusrules.monitoring.coreos.com"))).isFalse();
        assertThat(ConditionFactory.find(status.conditions, ConditionTypes.MONITORING)).isEmpty();
    }
}
