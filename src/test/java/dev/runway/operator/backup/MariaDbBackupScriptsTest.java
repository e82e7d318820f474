package dev.runway.operator.backup;

import org.junit.jupiter.api.Tag;

import dev.runway.operator.testing.Tiers;

/** backup.sh, prune.sh and verify.sh against a real MariaDB server (DB_ENGINE=MySQL, gzip'd mysqldump). */
@Tag(Tiers.DATABASE)
class MariaDbBackupScriptsTest extends BackupScriptsContract {
    MariaDbBackupScriptsTest() {
        super(new TestEngine.MariaDb());
    }
}
