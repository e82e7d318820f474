package dev.runway.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;

@Tag(Tiers.UNIT)
class OnDemandBackupsTest {

    static ManagedFieldsEntry entry(String manager, String time, String subresource, String... annotations) {
        Map<String, Object> keys = new java.util.HashMap<>();
        for (String a : annotations) {
            keys.put("f:" + a, Map.of());
        }
        FieldsV1 fields = new FieldsV1();
        fields.setAdditionalProperty("f:metadata", Map.of("f:annotations", keys));
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation("Update").withTime(time)
                .withSubresource(subresource).withFieldsV1(fields).build();
    }

    static BackupPolicy requested(ManagedFieldsEntry... entries) {
        BackupPolicy policy = BackupFixtures.dailyPolicy();
        policy.getMetadata().setAnnotations(Map.of(OnDemandBackups.ANNOTATION, ""));
        policy.getMetadata().setManagedFields(List.of(entries));
        return policy;
    }

    @Test
    void theRequestTimeIsWhenTheAnnotationWasWritten() {
        BackupPolicy policy = requested(
                entry("kubectl-client-side-apply", "2026-01-01T00:00:00Z", null, "kubectl.kubernetes.io/last-applied-configuration"),
                entry("kubectl-annotate", "2026-01-05T10:00:00Z", null, OnDemandBackups.ANNOTATION),
                entry("backuppolicy", "2026-01-05T10:00:03Z", "status"));
        assertThat(OnDemandBackups.requestedAt(policy)).contains("2026-01-05T10:00:00Z");
        assertThat(OnDemandBackups.requestedAt(BackupFixtures.dailyPolicy())).isEmpty();
    }

    @Test
    void theSameRequestAlwaysNamesTheSameJobAndALaterOneANewJob() {
        BackupPolicy policy = BackupFixtures.dailyPolicy();
        String first = OnDemandBackups.jobName(policy, "", "2026-01-05T10:00:00Z");
        assertThat(first).matches("shop-db-manual-[0-9a-f]{8}");
        assertThat(OnDemandBackups.jobName(policy, "", "2026-01-05T10:00:00Z")).isEqualTo(first);
        assertThat(OnDemandBackups.jobName(policy, "", "2026-01-05T11:30:00Z")).isNotEqualTo(first);
        assertThat(OnDemandBackups.jobName(policy, "before-deploy", "2026-01-05T10:00:00Z")).isNotEqualTo(first);
        BackupPolicy longest = BackupFixtures.dailyPolicy();
        longest.getMetadata().setName("a".repeat(45));
        assertThat(OnDemandBackups.jobName(longest, "", "2026-01-05T10:00:00Z")).as("a valid Job name for the longest policy name")
                .hasSizeLessThanOrEqualTo(63);
    }
}
