package dev.runway.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;

/** Children applied under the old per-controller managers end up owned by runway-operator alone. */
@Tag(Tiers.UNIT)
class FieldManagerMigrationTest {

    @Test
    void anOldManagersApplyEntryIsRenamedWhenTheNewOneOwnsNothingYet() {
        List<ManagedFieldsEntry> result = FieldManagerMigration.handedOver(entries(entry("application", "Apply", null),
                entry("kube-controller-manager", "Update", "status")));
        assertThat(result).extracting(ManagedFieldsEntry::getManager).containsExactly(Labels.MANAGER, "kube-controller-manager");
        assertThat(result.get(0).getOperation()).isEqualTo("Apply");
    }

    @Test
    void anOldManagersApplyEntryIsDroppedOnceTheNewOneApplied() {
        List<ManagedFieldsEntry> result = FieldManagerMigration.handedOver(entries(entry("environment", "Apply", null),
                entry(Labels.MANAGER, "Apply", null), entry("kubectl", "Update", null)));
        assertThat(result).extracting(ManagedFieldsEntry::getManager).containsExactly(Labels.MANAGER, "kubectl");
    }

    @Test
    void aMigratedOrForeignChildIsLeftAlone() {
        assertThat(FieldManagerMigration.handedOver(entries(entry(Labels.MANAGER, "Apply", null), entry("kubectl", "Update", null))))
                .isNull();
        assertThat(FieldManagerMigration.handedOver(entries(entry("application", "Update", null)))).as("not an apply of ours").isNull();
        assertThat(FieldManagerMigration.handedOver(null)).isNull();
    }

    private static List<ManagedFieldsEntry> entries(ManagedFieldsEntry... entries) {
        return new ArrayList<>(List.of(entries));
    }

    private static ManagedFieldsEntry entry(String manager, String operation, String subresource) {
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation(operation).withSubresource(subresource)
                .withApiVersion("v1").withFieldsType("FieldsV1").build();
    }
}
