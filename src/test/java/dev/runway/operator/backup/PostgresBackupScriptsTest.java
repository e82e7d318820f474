package dev.runway.operator.backup;

import org.junit.jupiter.api.Tag;

import dev.runway.operator.testing.Tiers;

/** backup.sh, prune.sh and verify.sh against a real PostgreSQL server (pg_dump custom format). */
@Tag(Tiers.DATABASE)
class PostgresBackupScriptsTest extends BackupScriptsContract {
    PostgresBackupScriptsTest() {
        super(new TestEngine.Postgres());
    }
}
