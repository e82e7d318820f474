package dev.runway.operator.apiserver;

import static dev.runway.operator.apiserver.BadInputCatalogueTest.MIGRATION;
import static dev.runway.operator.apiserver.BadInputCatalogueTest.app;
import static dev.runway.operator.apiserver.BadInputCatalogueTest.bp;
import static dev.runway.operator.apiserver.BadInputCatalogueTest.env;
import static dev.runway.operator.apiserver.BadInputCatalogueTest.mj;
import static dev.runway.operator.apiserver.BadInputCatalogueTest.rst;
import static dev.runway.operator.apiserver.BadInputCatalogueTest.valid;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The second admission sweep: spec.podTemplate (the escape hatch may not touch Runway's labels,
 * annotations or the app container's image), names that become child names or label values
 * (Environment, MigrationJob), references to other objects by name, the pod settings a MigrationJob
 * takes from its Application, and strings that were unbounded (command and args entries, env and
 * config values).
 */
final class SweepCases {
    static final String LONG_4097 = "a".repeat(4097);
    static final String LONG_16385 = "a".repeat(16385);
    static final String M = "{image: a:1, migration: {command: [m], databaseSecretRef: db, %s}}";

    private SweepCases() {
    }

    static String many(int n, String format) {
        return "[" + String.join(", ", IntStream.range(0, n).mapToObj(i -> format.formatted(i)).toList()) + "]";
    }

    static List<AdmissionCase> application() {
        String pt = "{image: a:1, podTemplate: %s}";
        return List.of(
                // the escape hatch
                app("podTemplate sets a selector label", pt.formatted("{metadata: {labels: {app.kubernetes.io/instance: other}}}"),
                        "spec.podTemplate.metadata.labels", "spec.podTemplate.metadata.labels must not set Runway's labels"),
                app("podTemplate sets a runway.dev label", pt.formatted("{metadata: {labels: {runway.dev/environment: prod}}}"),
                        "spec.podTemplate.metadata.labels", "spec.podTemplate.metadata.labels must not set Runway's labels"),
                app("podTemplate label value longer than 63", pt.formatted("{metadata: {labels: {team: " + "a".repeat(64) + "}}}"),
                        "spec.podTemplate.metadata.labels", "spec.podTemplate.metadata.labels keys must be label keys"),
                app("podTemplate sets the config-hash annotation", pt.formatted("{metadata: {annotations: {runway.dev/config-hash: x}}}"),
                        "spec.podTemplate.metadata.annotations", "must not set runway.dev/ annotations"),
                app("podTemplate annotation value over 16384", pt.formatted("{metadata: {annotations: {example.com/x: " + LONG_16385 + "}}}"),
                        "spec.podTemplate.metadata.annotations", "spec.podTemplate.metadata.annotations keys must be at most 317"),
                app("podTemplate sets the app container's image", pt.formatted("{spec: {containers: [{name: app, image: other:1}]}}"),
                        "spec.podTemplate.spec.containers", "containers[name: app] must not set image"),
                app("podTemplate container without a name", pt.formatted("{spec: {containers: [{image: b:1}]}}"),
                        "spec.podTemplate.spec.containers", "spec.podTemplate.spec.containers[].name is required"),
                app("podTemplate init container without a name", pt.formatted("{spec: {initContainers: [{image: b:1}]}}"),
                        "spec.podTemplate.spec.initContainers", "spec.podTemplate.spec.initContainers[].name is required"),
                app("podTemplate adds a container without an image", pt.formatted("{spec: {containers: [{name: extra}]}}"),
                        "spec", "adds a container and needs an image"),
                app("podTemplate adds an init container without an image", pt.formatted("{spec: {initContainers: [{name: extra}]}}"),
                        "spec", "adds an init container and needs an image"),
                app("podTemplate with 11 containers", pt.formatted("{spec: {containers: " + many(11, "{name: c%d, image: b:1}") + "}}"),
                        "spec.podTemplate.spec.containers", "must have at most 10 items"),
                app("podTemplate with 11 init containers", pt.formatted("{spec: {initContainers: " + many(11, "{name: c%d, image: b:1}") + "}}"),
                        "spec.podTemplate.spec.initContainers", "must have at most 10 items"),
                app("podTemplate with 21 volumes", pt.formatted("{spec: {volumes: " + many(21, "{name: v%d, emptyDir: {}}") + "}}"),
                        "spec.podTemplate.spec.volumes", "must have at most 20 items"),
                app("podTemplate with 21 hostAliases", pt.formatted("{spec: {hostAliases: " + many(21, "{ip: 10.0.0.%d}") + "}}"),
                        "spec.podTemplate.spec.hostAliases", "must have at most 20 items"),
                app("podTemplate with 11 readinessGates", pt.formatted("{spec: {readinessGates: " + many(11, "{conditionType: example.com/g%d}") + "}}"),
                        "spec.podTemplate.spec.readinessGates", "must have at most 10 items"),
                app("podTemplate unknown dnsPolicy", pt.formatted("{spec: {dnsPolicy: Custom}}"), "spec.podTemplate.spec.dnsPolicy",
                        "spec.podTemplate.spec.dnsPolicy must be ClusterFirst"),
                app("podTemplate negative grace period", pt.formatted("{spec: {terminationGracePeriodSeconds: -1}}"),
                        "spec.podTemplate.spec.terminationGracePeriodSeconds", "should be greater than or equal to 0"),
                app("podTemplate runtimeClassName not a name", pt.formatted("{spec: {runtimeClassName: Kata_VM}}"),
                        "spec.podTemplate.spec.runtimeClassName", "spec.podTemplate.spec.runtimeClassName must be a RuntimeClass name"),
                app("podTemplate empty schedulerName", pt.formatted("{spec: {schedulerName: ''}}"), "spec.podTemplate.spec.schedulerName",
                        "should be at least 1 chars long"),
                // unbounded strings
                app("env value over 16384", "{image: a:1, env: {BIG: " + LONG_16385 + "}}", "spec.env", "spec.env values must be at most 16384"),
                app("migration command entry over 4096", "{image: a:1, migration: {command: [" + LONG_4097 + "], databaseSecretRef: db}}",
                        "spec.migration.command", "spec.migration.command entries must be at most 4096"),
                app("migration arg over 4096", M.formatted("args: [" + LONG_4097 + "]"), "spec.migration.args",
                        "spec.migration.args entries must be at most 4096"),
                app("migration rollback command entry over 4096", M.formatted("rollback: {command: [" + LONG_4097 + "]}"),
                        "spec.migration.rollback.command", "rollback.command entries must be at most 4096"),
                app("migration rollback arg over 4096", M.formatted("rollback: {command: [down], args: [" + LONG_4097 + "]}"),
                        "spec.migration.rollback.args", "rollback.args entries must be at most 4096"),
                // references
                app("migration databaseSecretRef not a Secret name", "{image: a:1, migration: {command: [m], databaseSecretRef: 'shop db'}}",
                        "spec.migration.databaseSecretRef", "spec.migration.databaseSecretRef must be a Secret name"),
                app("migration backupPolicy not a BackupPolicy name", M.formatted("backupPolicy: Nightly_DB"), "spec.migration.backupPolicy",
                        "spec.migration.backupPolicy must be a BackupPolicy name"),
                app("ingress className not a name", "{image: a:1, ingress: {host: a.example.com, className: 'nginx public'}}",
                        "spec.ingress.className", "spec.ingress.className must be an IngressClass name"),
                app("TLS secretName not a Secret name", "{image: a:1, ingress: {host: a.example.com, tls: {secretName: Shop_TLS}}}",
                        "spec.ingress.tls.secretName", "spec.ingress.tls.secretName must be a Secret name"),
                app("TLS clusterIssuer not a name", "{image: a:1, ingress: {host: a.example.com, tls: {clusterIssuer: 'lets encrypt'}}}",
                        "spec.ingress.tls.clusterIssuer", "spec.ingress.tls.clusterIssuer must be a ClusterIssuer name"));
    }

    static List<AdmissionCase> environment() {
        return List.of(
                new AdmissionCase("name not a DNS label (no namespace name)", BadInputCatalogueTest.environment("shop.prod", "{tier: Staging, namespace: shop-prod}"),
                        "metadata.name", "metadata.name of an Environment must be a DNS label of at most 63"),
                new AdmissionCase("name longer than 63", BadInputCatalogueTest.environment("a".repeat(64), "{tier: Staging, namespace: shop-prod}"),
                        "metadata.name", "metadata.name of an Environment must be a DNS label of at most 63"),
                env("alert label value over 1024", "{tier: Staging, alerting: {labels: {team: " + "a".repeat(1025) + "}}}", "spec.alerting.labels",
                        "spec.alerting.labels values must be at most 1024"),
                env("config value over 16384", "{tier: Staging, config: {BIG: " + LONG_16385 + "}}", "spec.config",
                        "spec.config values must be at most 16384"));
    }

    static List<AdmissionCase> migrationJob() {
        return List.of(
                new AdmissionCase("name longer than 63 (a label value)", BadInputCatalogueTest.migrationJob("a".repeat(64), MIGRATION), "metadata.name",
                        "metadata.name of a MigrationJob must be at most 63"),
                mj("application not an Application name", MIGRATION + "application: Shop_Api", "spec.application",
                        "spec.application must be an Application name"),
                mj("empty application", MIGRATION + "application: ''", "spec.application", "should be at least 1 chars long"),
                mj("databaseSecretRef not a Secret name", "image: a:1\ncommand: [m]\ndatabaseSecretRef: 'shop db'", "spec.databaseSecretRef",
                        "spec.databaseSecretRef must be a Secret name"),
                mj("backup policy not a BackupPolicy name", MIGRATION + "backup: {policy: Nightly_DB}", "spec.backup.policy",
                        "spec.backup.policy must be a BackupPolicy name"),
                mj("backup policy longer than 45", MIGRATION + "backup: {policy: " + "a".repeat(46) + "}", "spec.backup.policy",
                        "may not be more than 45 bytes"),
                mj("command entry over 4096", "image: a:1\ncommand: [" + LONG_4097 + "]\ndatabaseSecretRef: db", "spec.command",
                        "spec.command entries must be at most 4096"),
                mj("arg over 4096", MIGRATION + "args: [" + LONG_4097 + "]", "spec.args", "spec.args entries must be at most 4096"),
                mj("env value over 16384", MIGRATION + "env: {BIG: " + LONG_16385 + "}", "spec.env", "spec.env values must be at most 16384"),
                mj("rollback command entry over 4096", MIGRATION + "rollback: {command: [" + LONG_4097 + "]}", "spec.rollback.command",
                        "rollback.command entries must be at most 4096"),
                mj("rollback arg over 4096", MIGRATION + "rollback: {command: [undo], args: [" + LONG_4097 + "]}", "spec.rollback.args",
                        "rollback.args entries must be at most 4096"),
                // the pod settings an Application's MigrationJob takes from it
                mj("serviceAccountName not a name", MIGRATION + "serviceAccountName: My_SA", "spec.serviceAccountName",
                        "spec.serviceAccountName must be a ServiceAccount name"),
                mj("empty serviceAccountName", MIGRATION + "serviceAccountName: ''", "spec.serviceAccountName", "should be at least 1 chars long"),
                mj("imagePullSecrets entry not a Secret name", MIGRATION + "imagePullSecrets: [{name: My_Creds}]", "spec.imagePullSecrets[0].name",
                        "spec.imagePullSecrets[].name must be a Secret name"),
                mj("imagePullSecrets entry without a name", MIGRATION + "imagePullSecrets: [{}]", "spec.imagePullSecrets[0].name", "Required value"),
                mj("imagePullSecrets name longer than 253", MIGRATION + "imagePullSecrets: [{name: " + "a".repeat(254) + "}]",
                        "spec.imagePullSecrets[0].name", "may not be more than 253 bytes"),
                mj("duplicate imagePullSecrets", MIGRATION + "imagePullSecrets: [{name: creds}, {name: creds}]", "spec.imagePullSecrets",
                        "spec.imagePullSecrets names must be unique"),
                mj("11 imagePullSecrets", MIGRATION + "imagePullSecrets: " + many(11, "{name: s%d}"), "spec.imagePullSecrets",
                        "must have at most 10 items"),
                mj("runAsUser 0 without runAsRoot", MIGRATION + "securityContext: {runAsUser: 0}", "spec.securityContext",
                        "spec.securityContext.runAsUser 0 is root"),
                mj("runAsGroup 0 without runAsRoot", MIGRATION + "securityContext: {runAsGroup: 0}", "spec.securityContext",
                        "spec.securityContext.runAsGroup 0 is the root group"),
                mj("negative runAsUser", MIGRATION + "securityContext: {runAsUser: -1}", "spec.securityContext.runAsUser",
                        "should be greater than or equal to 0"),
                mj("runAsGroup above 2^31-1", MIGRATION + "securityContext: {runAsGroup: 2147483648}", "spec.securityContext.runAsGroup",
                        "should be less than or equal to"),
                mj("negative fsGroup", MIGRATION + "securityContext: {fsGroup: -5}", "spec.securityContext.fsGroup",
                        "should be greater than or equal to 0"));
    }

    static List<AdmissionCase> backupPolicy() {
        return List.of(
                bp("secretRef not a Secret name", valid("database: {engine: PostgreSQL, secretRef: 'shop db'}"), "spec.database.secretRef",
                        "spec.database.secretRef must be a Secret name"),
                bp("storageClassName not a name", valid("storage: {persistentVolumeClaim: {size: 1Gi, storageClassName: Fast_SSD}}"),
                        "spec.storage.persistentVolumeClaim.storageClassName", "storageClassName must be a StorageClass name"));
    }

    static List<AdmissionCase> restore() {
        String p = "backupPolicy: shop-db-nightly\n";
        return List.of(
                rst("backupPolicy not a BackupPolicy name", "backupPolicy: Shop_DB", "spec.backupPolicy",
                        "spec.backupPolicy must be a BackupPolicy name"),
                rst("migrationJob not a MigrationJob name", p + "backup: {select: PreMigration, migrationJob: 'shop 2'}",
                        "spec.backup.migrationJob", "spec.backup.migrationJob must be a MigrationJob name"));
    }
}
