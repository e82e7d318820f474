package dev.runway.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Golden files: each {@code desired/backuppolicy/<case>/in-BackupPolicy.yaml} yields exactly the
 * {@code out-<Kind>-<name>.yaml} objects next to it. Run with {@code -Drunway.golden.update=true}
 * to rewrite them after an intended change, and review the diff.
 */
@Tag(Tiers.UNIT)
class BackupPolicyDesiredStateTest {
    static final Path ROOT = Path.of("src/test/resources/desired/backuppolicy");
    static final boolean UPDATE = Boolean.getBoolean("runway.golden.update");
    static final BackupConfig CONFIG = new BackupConfig() {
        @Override
        public String image() {
            return "docker.io/library/postgres:16-bookworm";
        }

        @Override
        public String mysqlImage() {
            return "docker.io/library/mariadb:11.4";
        }
    };

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** Everything the policy turns into, plus the Job a pre-migration backup would create. */
    static List<HasMetadata> desired(BackupPolicy policy) {
        String image = new BackupJobs(CONFIG).image(policy);
        List<HasMetadata> out = new ArrayList<>();
        out.add(ScriptsConfigMapDependent.build(policy, scriptPlaceholders()));
        out.add(BackupPvcDependent.build(policy));
        out.add(BackupCronJobDependent.build(policy, image));
        if (policy.getSpec().verification != null) {
            out.add(VerifyCronJobDependent.build(policy, image));
        }
        out.add(BackupAlertsDependent.build(policy));
        out.add(new BackupJobs(CONFIG).onDemand(policy, policy.getMetadata().getName() + "-premigration-1a2b3c4d", true,
                "before migration shop-v42", Map.of("runway.dev/migration-job", "shop-v42")));
        return out;
    }

    /** The scripts change on their own branch; the golden files name them instead of copying them. */
    static Map<String, String> scriptPlaceholders() {
        Map<String, String> data = new LinkedHashMap<>();
        BackupScripts.FILES.forEach(f -> data.put(f, "<contents of src/main/resources/backup/" + f + ">"));
        return data;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void desiredStateMatchesTheGoldenFiles(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        BackupPolicy policy = BackupFixtures.YAML.unmarshal(Files.readString(dir.resolve("in-BackupPolicy.yaml")), BackupPolicy.class);
        List<String> expectedFiles = new ArrayList<>();
        for (HasMetadata object : desired(policy)) {
            String file = "out-" + object.getKind() + "-" + object.getMetadata().getName() + ".yaml";
            expectedFiles.add(file);
            String yaml = BackupFixtures.YAML.asYaml(object);
            Path golden = dir.resolve(file);
            if (UPDATE) {
                Files.writeString(golden, yaml);
            } else {
                assertThat(golden).as("%s/%s exists; run with -Drunway.golden.update=true", name, file).exists();
                assertThat(yaml).as("%s/%s (rerun with -Drunway.golden.update=true after an intended change)", name, file)
                        .isEqualTo(Files.readString(golden));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> present = files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("out-")).sorted().toList();
            if (UPDATE) {
                for (String stale : present) {
                    if (!expectedFiles.contains(stale)) {
                        Files.delete(dir.resolve(stale));
                    }
                }
            } else {
                assertThat(present).as("golden files of %s", name).containsExactlyInAnyOrderElementsOf(expectedFiles);
            }
        }
    }

    @Test
    void theConfigMapCarriesTheShippedScripts() {
        BackupPolicy policy = BackupFixtures.dailyPolicy();
        assertThat(BackupScripts.all()).containsOnlyKeys(BackupScripts.FILES);
        // The three the Jobs run are bash scripts; lib.sh is sourced by them.
        BackupScripts.all().forEach((file, text) -> assertThat(text).as(file)
                .startsWith(file.equals("lib.sh") ? "# shellcheck shell=bash" : "#!/usr/bin/env bash"));
        assertThat(new ScriptsConfigMapDependent().desired(policy, null).getData()).isEqualTo(BackupScripts.all());
    }

    @Test
    void noSecretValueIsCopiedIntoAJob() {
        BackupPolicy policy = BackupFixtures.dailyPolicy();
        var env = BackupCronJobDependent.build(policy, "img").getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
                .getContainers().get(0).getEnv();
        assertThat(env).filteredOn(e -> e.getName().startsWith("DB_") && !e.getName().equals("DB_ENGINE"))
                .hasSize(5)
                .allSatisfy(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-db");
                });
    }

    @Test
    void onDemandJobsUseTheCronJobsTemplate() {
        BackupPolicy policy = BackupFixtures.dailyPolicy();
        var scheduled = BackupCronJobDependent.build(policy, "img").getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        var manual = BackupJobs.onDemand(policy, "img", "shop-db-manual-00000000", false, "scheduled", Map.of()).getSpec()
                .getTemplate().getSpec();
        assertThat(manual).usingRecursiveComparison().isEqualTo(scheduled);
    }
}
