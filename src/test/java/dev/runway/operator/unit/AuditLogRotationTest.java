package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runway.operator.testing.AuditLog;
import dev.runway.operator.testing.Tiers;

/**
 * The test harness's audit-log reader follows the API server's rotation (the log renamed at 200 MB, a
 * new one started): requests after a mark are found in the renamed file and in the new one. Before, a
 * rotation in the middle of the benchmark's churn phase lost what was logged before it.
 */
@Tag(Tiers.UNIT)
class AuditLogRotationTest {

    @Test
    void requestsAfterAMarkSurviveARotation(@TempDir Path dir) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("audit.log");
        Files.writeString(log, entry("before") + "\n");
        AuditLog audit = AuditLog.of(dir.resolve("kubeconfig"));
        AuditLog.Mark mark = audit.mark();
        Files.writeString(log, entry("after-1") + "\n", java.nio.file.StandardOpenOption.APPEND);
        Files.move(log, logs.resolve("audit-2026-12-04T20-25-34.847.log"));
        Files.writeString(log, entry("after-2") + "\n" + entry("after-3") + "\n");

        assertThat(audit.since(mark, e -> true)).extracting(AuditLog.Entry::name).containsExactly("after-1", "after-2", "after-3");
    }

    private static String entry(String name) {
        return "{\"auditID\":\"" + name + "\",\"verb\":\"patch\",\"userAgent\":\"runway\",\"user\":{\"username\":\"u\"},"
                + "\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"ns\",\"name\":\"" + name + "\"},"
                + "\"requestURI\":\"/\",\"responseStatus\":{\"code\":200}}";
    }
}
