package dev.runway.operator.migration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.MigrationJob;
import dev.runway.operator.testing.GoldenFiles;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * Golden files of desired/migrationjob: a MigrationJob (with its database Secret, whose engine key
 * picks the variables) yields its migration Job and, with a rollback command, its rollback Job; an
 * Application with spec.migration yields the MigrationJob for its new image.
 */
@Tag(Tiers.UNIT)
class MigrationJobDesiredStateTest {
    static Stream<Path> cases() {
        return GoldenFiles.cases("migrationjob").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void desiredStateMatchesTheGoldenFiles(Path caseDir) {
        List<HasMetadata> out = new ArrayList<>();
        if (GoldenFiles.exists(caseDir, "in-Application.yaml")) {
            Application app = GoldenFiles.read(caseDir, "in-Application.yaml", Application.class);
            MigrationGate.Decision decision = MigrationGate.check(app, app.getSpec().image, Optional.empty());
            out.add(decision.create());
        } else {
            MigrationJob mj = GoldenFiles.read(caseDir, "in-MigrationJob.yaml", MigrationJob.class);
            Secret secret = GoldenFiles.read(caseDir, "in-Secret.yaml", Secret.class);
            var engine = MigrationJobFactory.engine(SecretKeys.text(secret, "engine")).orElseThrow();
            out.add(MigrationJobFactory.migrate(mj, engine));
            if (mj.getSpec().rollback != null) {
                out.add(MigrationJobFactory.rollback(mj, engine));
            }
        }
        GoldenFiles.assertMatches(caseDir, out);
    }
}
