package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.api.v1alpha1.PrinterColumnOrder;
import dev.runway.operator.testing.Tiers;
import io.fabric8.crdv2.generator.CRDGenerator;

/** The CRDs committed to crds/ (and shipped in the Helm chart) are exactly what the API types generate. */
@Tag(Tiers.UNIT)
class CrdFilesTest {
    static final List<Class<?>> KINDS = List.of(Application.class, Environment.class, BackupPolicy.class, MigrationJob.class);

    @Test
    void committedCrdsMatchTheGeneratedOnes(@TempDir Path out) throws IOException {
        new CRDGenerator().inOutputDir(out.toFile()).forCRDVersions("v1").withPostProcessor(new PrinterColumnOrder())
                .customResourceClasses(KINDS.toArray(Class[]::new)).generate();
        Path repo = Path.of(System.getProperty("user.dir"));
        try (var generated = Files.list(out)) {
            List<Path> files = generated.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
            assertThat(files).hasSize(KINDS.size());
            for (Path file : files) {
                String name = file.getFileName().toString();
                String fresh = Files.readString(file);
                assertThat(repo.resolve("crds").resolve(name)).as("crds/%s is committed; run 'make crds'", name).exists();
                assertThat(Files.readString(repo.resolve("crds").resolve(name)))
                        .as("crds/%s differs from what the API types generate; run 'make crds' and commit", name)
                        .isEqualTo(fresh);
                Path chart = repo.resolve("helm/runway-operator/crds").resolve(name);
                assertThat(chart).as("the Helm chart carries %s", name).exists();
                assertThat(Files.readString(chart)).as("helm/runway-operator/crds/%s is stale; run 'make crds'", name).isEqualTo(fresh);
            }
        }
    }
}
