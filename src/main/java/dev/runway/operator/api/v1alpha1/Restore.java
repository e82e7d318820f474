package dev.runway.operator.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One restore of a backup a BackupPolicy took: into a new database on the same server (the
 * default; the policy's database is untouched), or in place after a fresh safety backup. A restore
 * is an event, like a Job: its spec is immutable, it runs once, and its status is the record.
 */
@Group(Application.GROUP)
@Version(Application.VERSION)
@ShortNames("rst")
@Categories("runway")
@AdditionalPrinterColumn(name = "Policy", jsonPath = ".spec.backupPolicy")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Backup", jsonPath = ".status.backup.name")
@AdditionalPrinterColumn(name = "Target", jsonPath = ".status.target.database")
@AdditionalPrinterColumn(name = "Rows", jsonPath = ".status.rows", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "RTO", jsonPath = ".status.durationSeconds", type = AdditionalPrinterColumn.Type.INTEGER)
// Children are named <restore>-restore and <restore>-safety-backup (Job names, pod labels: at most 63).
@ValidationRule(value = "size(self.metadata.name) <= 40",
        message = "metadata.name of a Restore must be at most 40 characters: its Jobs are named <name>-restore and <name>-safety-backup")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Restore extends CustomResource<RestoreSpec, RestoreStatus> implements Namespaced {
    @Override
    protected RestoreStatus initStatus() {
        return new RestoreStatus();
    }
}
