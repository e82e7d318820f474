package dev.runway.operator.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.BackupPolicySpec.Database.Engine;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;

/** An Application's MigrationJob runs its image the way its pods do: same pull secrets, user, group, fsGroup and ServiceAccount. */
@Tag(Tiers.UNIT)
class MigrationPodSettingsTest {
    static Application app(String podSettings) {
        return Serialization.unmarshal("""
                apiVersion: runway.dev/v1alpha1
                kind: Application
                metadata: {name: shop, namespace: shop, uid: u-1, generation: 2}
                spec:
                  image: registry.example.com/private/shop:2
                  migration: {command: [migrate], databaseSecretRef: shop-db, rollback: {command: [down]}}
                """ + podSettings.indent(2), Application.class);
    }

    @Test
    void theMigrationAndRollbackPodsTakeTheApplicationsPodSettings() {
        MigrationJob mj = MigrationGate.desired(app("""
                imagePullSecrets: [{name: registry-credentials}]
                serviceAccountName: shop-migrator
                securityContext: {runAsUser: 10001, runAsGroup: 10002, fsGroup: 10003, readOnlyRootFilesystem: false}
                """), "shop-1234abcd");
        assertThat(mj.getSpec().serviceAccountName).isEqualTo("shop-migrator");
        assertThat(mj.getSpec().imagePullSecrets).extracting(s -> s.name).containsExactly("registry-credentials");
        assertThat(mj.getSpec().securityContext.runAsUser).isEqualTo(10001L);
        mj.getMetadata().setUid("mj-1");
        for (PodSpec pod : java.util.List.of(MigrationJobFactory.migrate(mj, Engine.PostgreSQL).getSpec().getTemplate().getSpec(),
                MigrationJobFactory.rollback(mj, Engine.PostgreSQL).getSpec().getTemplate().getSpec())) {
            assertThat(pod.getImagePullSecrets()).extracting(r -> r.getName()).containsExactly("registry-credentials");
            assertThat(pod.getServiceAccountName()).isEqualTo("shop-migrator");
            assertThat(pod.getAutomountServiceAccountToken()).as("the chosen ServiceAccount's token is mounted").isNull();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
            assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(10002L);
            assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(10003L);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            var container = pod.getContainers().get(0);
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isFalse();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        }
    }

    @Test
    void withoutThemTheMigrationRunsRestrictedWithoutAToken() {
        MigrationJob mj = MigrationGate.desired(app(""), "shop-1234abcd");
        mj.getMetadata().setUid("mj-1");
        PodSpec pod = MigrationJobFactory.migrate(mj, Engine.PostgreSQL).getSpec().getTemplate().getSpec();
        assertThat(pod.getImagePullSecrets()).isNullOrEmpty();
        assertThat(pod.getServiceAccountName()).isNull();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
        assertThat(pod.getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }
}
