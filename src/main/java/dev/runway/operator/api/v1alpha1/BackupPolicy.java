package dev.runway.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Scheduled database backups, pruned by retention and verified by restoring them. */
@Group(Application.GROUP)
@Version(Application.VERSION)
@ShortNames("bp")
@Categories("runway")
@AdditionalPrinterColumn(name = "Engine", jsonPath = ".spec.database.engine")
@AdditionalPrinterColumn(name = "Schedule", jsonPath = ".spec.schedule")
@AdditionalPrinterColumn(name = "Last Backup", jsonPath = ".status.lastSuccessfulBackupTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Verified", jsonPath = ".status.conditions[?(@.type==\"Verified\")].status")
@AdditionalPrinterColumn(name = "Fresh", jsonPath = ".status.conditions[?(@.type==\"BackupsFresh\")].status")
// Children are named <policy>-backup, -verify (CronJobs: at most 52 characters) and <policy>-manual-<hash>.
@ValidationRule(value = "size(self.metadata.name) <= 45",
        message = "metadata.name of a BackupPolicy must be at most 45 characters: its CronJobs are named <name>-backup and <name>-verify (at most 52)")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class BackupPolicy extends CustomResource<BackupPolicySpec, BackupPolicyStatus> implements Namespaced {
    @Override
    protected BackupPolicyStatus initStatus() {
        return new BackupPolicyStatus();
    }
}
