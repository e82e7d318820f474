package dev.runway.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.common.FieldManagerMigration;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A child applied by an older Runway under the manager "application" is owned by runway-operator
 * after a start: a field the new version stops setting is then removed by its next apply.
 */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class FieldManagerMigrationClusterTest extends KubernetesTest {

    @Test
    void anOldManagersChildIsHandedOverAtStart() {
        try (TestNamespace ns = TestNamespace.create(client, "fm-migration")) {
            ConfigMap old = new ConfigMapBuilder().withNewMetadata().withName("legacy-env").withNamespace(ns.name())
                    .addToLabels(Labels.MANAGED_BY, Labels.MANAGER).endMetadata().withData(Map.of("OLD", "1", "KEEP", "2")).build();
            client.resource(old).fieldManager("application").forceConflicts().serverSideApply();
            assertThat(FieldManagerMigration.run(client)).isPositive();
            var managers = client.configMaps().inNamespace(ns.name()).withName("legacy-env").get().getMetadata().getManagedFields();
            assertThat(managers).extracting(f -> f.getManager()).containsExactly(Labels.MANAGER);

            // The new manager's apply without OLD removes it: nobody else owns it any more.
            ConfigMap next = new ConfigMapBuilder(old).withData(Map.of("KEEP", "2")).build();
            client.resource(next).fieldManager(Labels.MANAGER).forceConflicts().serverSideApply();
            assertThat(client.configMaps().inNamespace(ns.name()).withName("legacy-env").get().getData()).containsOnlyKeys("KEEP");
        }
    }
}
