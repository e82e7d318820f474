package dev.runway.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.runway.operator.testing.Tiers;

/** backup.sh, prune.sh and verify.sh against a real PostgreSQL server (pg_dump custom format). */
@Tag(Tiers.DATABASE)
class PostgresBackupScriptsTest extends BackupScriptsContract {
    PostgresBackupScriptsTest() {
        super(new TestEngine.Postgres());
    }

    @Test
    void verifyFailsWhenTheRestoredRowsAreNotWhatTheManifestSaysWasDumped() throws Exception {
        // PostgreSQL only: a MySQL dump packs rows into multi-row INSERTs, so its manifest holds no row count.
        Path copy = tempDir("runway-rows");
        Files.copy(backupDir.resolve(backupName), copy.resolve(backupName));
        String manifest = Files.readString(backupDir.resolve(backupName + ".json"));
        Files.writeString(copy.resolve(backupName + ".json"), manifest.replaceFirst("\"rows\": [0-9]+", "\"rows\": 999999"));
        Path termination = tempFile("runway-verify");
        Map<String, String> env = env(copy, termination);
        env.put("VERIFY_BACKUP", backupName);
        Processes.Result verify = Processes.script("verify.sh", env);
        assertThat(verify.exitCode()).as("verify.sh: %s", verify).isNotZero();
        JsonNode result = JSON.readTree(Files.readString(termination));
        assertThat(result.path("result").asText()).isEqualTo("Failed");
        assertThat(result.path("message").asText()).contains("manifest says 999999 rows were dumped");
        assertThat(engine.databasesStartingWith("runway_verify_")).as("the scratch database is dropped").isEmpty();
    }
}
