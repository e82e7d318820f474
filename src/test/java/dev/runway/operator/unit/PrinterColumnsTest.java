package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;

/** What kubectl shows: columns in the declared order (not the generator's JSONPath order), and no short name Argo CD has. */
@Tag(Tiers.UNIT)
class PrinterColumnsTest {

    static CustomResourceDefinition crd(String plural) throws IOException {
        return Serialization.unmarshal(Files.readString(Path.of("crds", plural + ".runway.dev-v1.yml")), CustomResourceDefinition.class);
    }

    @Test
    void applicationColumnsTellTheStoryInOrder() throws IOException {
        var columns = crd("applications").getSpec().getVersions().get(0).getAdditionalPrinterColumns();
        assertThat(columns).extracting(CustomResourceColumnDefinition::getName).containsExactly("Phase", "Ready", "Image", "Reason", "URL", "Age");
        assertThat(columns.get(3).getJsonPath()).isEqualTo(".status.conditions[?(@.type==\"Ready\")].reason");
        assertThat(columns.get(4).getPriority()).as("URL only with -o wide").isEqualTo(1);
    }

    @Test
    void ageComesLastOnEveryKind() throws IOException {
        for (String plural : new String[] { "applications", "environments", "backuppolicies", "migrationjobs" }) {
            var columns = crd(plural).getSpec().getVersions().get(0).getAdditionalPrinterColumns();
            assertThat(columns.get(columns.size() - 1).getName()).as(plural).isEqualTo("Age");
        }
    }

    @Test
    void theApplicationShortNameIsNotArgoCdsApp() throws IOException {
        assertThat(crd("applications").getSpec().getNames().getShortNames()).containsExactly("rapp");
    }
}
