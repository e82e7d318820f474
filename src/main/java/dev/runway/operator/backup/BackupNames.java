package dev.runway.operator.backup;

import java.util.Map;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.common.Labels;

/** Names and labels of what a BackupPolicy makes. */
public final class BackupNames {
    /** On every child, Job and pod of a policy; its value is the policy's name. The operator watches Jobs and pods by it. */
    public static final String POLICY_LABEL = "runway.dev/backup-policy";
    /** How a backup Job was started: scheduled, manual, or what the caller of {@link BackupJobs#onDemand} says. */
    public static final String TRIGGER_LABEL = "runway.dev/backup-trigger";
    /** {@code app.kubernetes.io/component} of backup Jobs and pods. */
    public static final String BACKUP = "backup";
    /** {@code app.kubernetes.io/component} of verification Jobs and pods. */
    public static final String VERIFY = "verify";

    private BackupNames() {
    }

    public static String backupCronJob(BackupPolicy policy) {
        return policy.getMetadata().getName() + "-backup";
    }

    public static String verifyCronJob(BackupPolicy policy) {
        return policy.getMetadata().getName() + "-verify";
    }

    /** The backup PVC; it outlives the policy. */
    public static String pvc(BackupPolicy policy) {
        return policy.getMetadata().getName() + "-backups";
    }

    public static String scripts(BackupPolicy policy) {
        return policy.getMetadata().getName() + "-scripts";
    }

    public static String alerts(BackupPolicy policy) {
        return policy.getMetadata().getName() + "-backup-alerts";
    }

    /** The standard labels plus {@link #POLICY_LABEL}. */
    public static Map<String, String> labels(BackupPolicy policy, String component) {
        Map<String, String> labels = Labels.standard(policy, component);
        labels.put(POLICY_LABEL, policy.getMetadata().getName());
        return labels;
    }
}
