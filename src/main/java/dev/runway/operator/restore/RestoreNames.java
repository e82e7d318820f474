package dev.runway.operator.restore;

import java.util.Locale;
import java.util.Map;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.backup.BackupNames;
import dev.runway.operator.common.ChildNames;
import dev.runway.operator.common.Labels;

/** Names and labels of what a Restore makes. */
public final class RestoreNames {
    /** On the restore and safety-backup Jobs and their pods; its value is the Restore's name. */
    public static final String RESTORE_LABEL = "runway.dev/restore";
    /** {@code app.kubernetes.io/component} of restore Jobs and pods. */
    public static final String RESTORE = "restore";

    private RestoreNames() {
    }

    public static String restoreJob(Restore restore) {
        return ChildNames.child(restore.getMetadata().getName(), "restore");
    }

    public static String safetyBackupJob(Restore restore) {
        return ChildNames.child(restore.getMetadata().getName(), "safety-backup");
    }

    /** The ConfigMap that points spec.switchApplication at the restored database (one key: database). */
    public static String switchConfigMap(Restore restore) {
        return ChildNames.child(restore.getMetadata().getName(), "database");
    }

    /** spec.target.database, else the Restore's name with - and . as _ (prefixed with r_ when it starts with a digit). */
    public static String targetDatabase(Restore restore) {
        var target = restore.getSpec().target;
        if (target != null && target.database != null) {
            return target.database;
        }
        String name = restore.getMetadata().getName().toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
        return Character.isDigit(name.charAt(0)) ? "r_" + name : name;
    }

    /** Labels of the restore Job and its pod: the Restore's, and the policy's so that other Jobs of the policy wait for it. */
    static Map<String, String> restoreJobLabels(Restore restore, BackupPolicy policy) {
        Map<String, String> labels = Labels.standard(restore, RESTORE);
        labels.put(RESTORE_LABEL, restore.getMetadata().getName());
        labels.put(BackupNames.POLICY_LABEL, policy.getMetadata().getName());
        return labels;
    }
}
