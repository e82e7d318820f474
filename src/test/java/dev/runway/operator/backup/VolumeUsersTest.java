package dev.runway.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/** Which Job of a policy holds its backup volume. */
@Tag(Tiers.UNIT)
class VolumeUsersTest {
    static Job job(String name, String created, String condition) {
        JobBuilder b = new JobBuilder().withNewMetadata().withName(name).withCreationTimestamp(created).endMetadata();
        if (condition != null) {
            b.withNewStatus().addNewCondition().withType(condition).withStatus("True").endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void theOldestRunningJobOtherThanMineHoldsTheVolume() {
        List<Job> jobs = List.of(job("done", "2026-03-01T01:00:00Z", "Complete"), job("failed", "2026-03-01T01:01:00Z", "Failed"),
                job("verify", "2026-03-01T02:00:00Z", null), job("backup", "2026-03-01T01:30:00Z", null),
                job("mine", "2026-03-01T00:00:00Z", null));
        assertThat(VolumeUsers.busy(jobs, Set.of("mine"))).map(j -> j.getMetadata().getName()).contains("backup");
        assertThat(VolumeUsers.busy(jobs.subList(0, 2), Set.of())).isEmpty();
        assertThat(VolumeUsers.waitingFor(jobs.get(3), "nightly"))
                .isEqualTo("waiting for Job backup of BackupPolicy nightly to finish: one Job at a time uses the backup volume");
    }
}
