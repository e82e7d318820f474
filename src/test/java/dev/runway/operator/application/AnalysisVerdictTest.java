package dev.runway.operator.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;
import io.argoproj.v1alpha1.AnalysisRun;
import io.argoproj.v1alpha1.AnalysisRunSpec;
import io.argoproj.v1alpha1.AnalysisRunStatus;
import io.argoproj.v1alpha1.analysisrunspec.Metrics;
import io.argoproj.v1alpha1.analysisrunstatus.MetricResults;
import io.argoproj.v1alpha1.analysisrunstatus.metricresults.Measurements;

/** How a failed AnalysisRun reads in the Application's status (the real runs are in RealNodeAnalysisIT). */
@Tag(Tiers.UNIT)
class AnalysisVerdictTest {

    @Test
    void aFailedMetricNamesItsLastValueAndTheConditionItMissed() {
        AnalysisRun run = new AnalysisRun();
        AnalysisRunSpec spec = new AnalysisRunSpec();
        Metrics metric = new Metrics();
        metric.setName("success-rate");
        metric.setSuccessCondition("result[0] >= 0.9500");
        spec.setMetrics(List.of(metric));
        run.setSpec(spec);
        MetricResults result = new MetricResults();
        result.setName("success-rate");
        result.setPhase("Failed");
        result.setCount(3);
        result.setFailed(2);
        result.setError(1);
        result.setMeasurements(List.of(measurement(null), measurement("[0.8272251308900523]"), measurement("[0.81]")));
        AnalysisRunStatus status = new AnalysisRunStatus();
        status.setMetricResults(List.of(result));
        run.setStatus(status);

        String text = AnalysisVerdict.describe(new AnalysisVerdict.FailedRun("pre-promotion", "shop-abc-2-pre", null), run);

        assertThat(text).isEqualTo("pre-promotion analysis shop-abc-2-pre failed: success-rate measured 0.81, needs result[0] >= 0.9500"
                + " (2 of 3 measurements failed, 1 could not be measured)");
    }

    @Test
    void withoutTheRunTheRolloutsOwnMessageIsKept() {
        assertThat(AnalysisVerdict.describe(new AnalysisVerdict.FailedRun("canary", "shop-abc-3-1", "RolloutAborted: metric failed"), null))
                .isEqualTo("canary analysis shop-abc-3-1 failed (RolloutAborted: metric failed)");
        assertThat(AnalysisVerdict.rounded("0.8272251308900523")).isEqualTo("0.8272");
        assertThat(AnalysisVerdict.rounded("NaN")).isEqualTo("NaN");
        assertThat(AnalysisVerdict.rounded("1")).isEqualTo("1");
    }

    private static Measurements measurement(String value) {
        Measurements m = new Measurements();
        m.setValue(value);
        return m;
    }
}
