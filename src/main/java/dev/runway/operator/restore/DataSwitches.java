package dev.runway.operator.restore;

import java.util.Map;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Restore;
import dev.runway.operator.api.v1alpha1.RestoreStatus;
import dev.runway.operator.common.CreateOnce;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * spec.switchApplication: after a restore into a new database, a ConfigMap owned by the Restore
 * holds the one key the policy's database Secret must read differently ({@code database}). The
 * Application's reconciler puts it into the containers' envFrom right after that Secret, where
 * a later source's key wins (application/RestoredData). Nothing is copied from the Secret and the
 * Application's spec is not touched: deleting the Restore takes the ConfigMap and the override away.
 */
final class DataSwitches {
    /** The key of the policy's database Secret (BackupPolicy spec.database.secretRef) that names the database. */
    static final String DATABASE_KEY = "database";
    static final String COMPONENT = "restored-database";

    private DataSwitches() {
    }

    /** Makes the ConfigMap if it is not there (read first: a converged Restore writes nothing) and describes the switch. */
    static RestoreStatus.DataSwitch switchTo(KubernetesClient client, Restore restore, BackupPolicy policy, String database) {
        String ns = restore.getMetadata().getNamespace();
        String name = RestoreNames.switchConfigMap(restore);
        if (client.configMaps().inNamespace(ns).withName(name).get() == null) {
            Map<String, String> labels = Labels.standard(restore, COMPONENT);
            labels.put(RestoreNames.RESTORE_LABEL, restore.getMetadata().getName());
            ConfigMap configMap = new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels)
                    .addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(restore.getApiVersion()).withKind(restore.getKind())
                            .withName(restore.getMetadata().getName()).withUid(restore.getMetadata().getUid())
                            .withController(true).withBlockOwnerDeletion(false).build())
                    .endMetadata().withData(Map.of(DATABASE_KEY, database)).withImmutable(true).build();
            CreateOnce.create(client, configMap);
        }
        RestoreStatus.DataSwitch done = new RestoreStatus.DataSwitch();
        done.application = restore.getSpec().switchApplication.name;
        done.configMap = name;
        done.secret = policy.getSpec().database.secretRef;
        done.database = database;
        done.undo = "to undo, delete Restore " + restore.getMetadata().getName() + ": Application " + done.application
                + " goes back to the database in Secret " + done.secret + ", and database " + database + " stays";
        return done;
    }
}
