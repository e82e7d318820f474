package dev.runway.operator.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.RunwayConfig;
import dev.runway.operator.testing.GoldenFiles;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/** Every child of an Application, built from golden inputs, equals the committed golden output. */
@Tag(Tiers.UNIT)
class ApplicationDesiredStateTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** A fixed config-hash key, so the golden files' hashes are stable (the operator's own is random, in a Secret). */
    static final byte[] GOLDEN_HASH_KEY = "runway-golden-files-hash-key-000".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    static Stream<Path> cases() {
        return GoldenFiles.cases("application").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void childrenMatchGoldenFiles(Path caseDir) {
        Application app = GoldenFiles.read(caseDir, "in-Application.yaml", Application.class);
        Optional<Environment> env = GoldenFiles.exists(caseDir, "in-Environment.yaml")
                ? Optional.of(GoldenFiles.read(caseDir, "in-Environment.yaml", Environment.class))
                : Optional.empty();
        Map<String, Secret> referenced = new java.util.HashMap<>();
        if (app.getSpec().secretRefs != null) {
            app.getSpec().secretRefs.forEach(n -> referenced.put(n, new SecretBuilder().withNewMetadata().withName(n).endMetadata()
                    .addToData("K", Base64.getEncoder().encodeToString(n.getBytes())).build()));
        }
        ApplicationPlan plan = ApplicationPlanner.plan(app, env, referenced, Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY);
        GoldenFiles.assertMatches(caseDir, children(app, plan));
    }

    /** The operator's configuration with every default (what an install without overrides runs with). */
    static final RunwayConfig DEFAULTS = new SmallRyeConfigBuilder().withMapping(RunwayConfig.class)
            // Durations as Quarkus reads them ("15s").
            .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
            .build().getConfigMapping(RunwayConfig.class);

    /**
     * What the workflow would apply: every dependent of ApplicationReconciler's workflow that is a
     * {@link PlannedChild} and wants to exist for (app, plan), as it plans itself; the kept claims
     * VolumeClaims creates besides. A dependent added to the workflow is covered without being listed here.
     */
    static List<HasMetadata> children(Application app, ApplicationPlan plan) {
        List<HasMetadata> out = new ArrayList<>();
        for (Dependent dependent : ApplicationReconciler.class.getAnnotation(Workflow.class).dependents()) {
            Object instance;
            try {
                instance = dependent.type().getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("dependent " + dependent.name() + " cannot be made for the golden test", e);
            }
            assertThat(instance).as("dependent %s plans itself (PlannedChild)", dependent.name()).isInstanceOf(PlannedChild.class);
            injectDefaults(instance);
            PlannedChild<?> child = (PlannedChild<?>) instance;
            if (child.wanted(app, plan)) {
                out.add(masked(child.planned(app, plan)));
            }
        }
        if (app.getSpec().volumes != null) {
            app.getSpec().volumes.stream().filter(v -> v.claim != null)
                    .forEach(v -> out.add(VolumeClaims.desired(app, v, plan.environment())));
        }
        return out;
    }

    /** The configuration CDI would inject into a dependent's {@code config} field. */
    private static void injectDefaults(Object dependent) {
        for (Class<?> c = dependent.getClass(); c != null; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (f.getType() == RunwayConfig.class) {
                    f.setAccessible(true);
                    try {
                        f.set(dependent, DEFAULTS);
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
        }
    }

    /** Generated values are random: the golden file shows which keys there are, not their values. */
    private static HasMetadata masked(HasMetadata child) {
        if (child instanceof Secret secret && secret.getData() != null) {
            secret.getData().replaceAll((k, v) -> "KGdlbmVyYXRlZCk="); // "(generated)"
        }
        return child;
    }

    /**
     * The API server drops a probe's initialDelaySeconds of 0 (omitempty, no default): a desired 0
     * never matches the live Deployment, and the operator patched it on every reconcile, including
     * every Application after a restart. Only a delay someone set is written.
     */
    @Test
    void probesCarryNoZeroInitialDelayTheApiServerWouldDrop() {
        Application app = GoldenFiles.read(GoldenFiles.ROOT.resolve("application/full"), "in-Application.yaml", Application.class);
        ApplicationPlan plan = ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", new Secret()),
                Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY);
        var container = DeploymentDependent.build(app, plan).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getLivenessProbe().getInitialDelaySeconds()).isNull();
        assertThat(container.getReadinessProbe().getInitialDelaySeconds()).isNull();
        assertThat(container.getReadinessProbe().getPeriodSeconds()).isEqualTo(5);

        app.getSpec().probes.readiness.initialDelaySeconds = 7;
        container = DeploymentDependent.build(app, plan).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getReadinessProbe().getInitialDelaySeconds()).isEqualTo(7);
    }

    @Test
    void generatedValuesAreKeptNewKeysGeneratedAndRotationReplacesAll() {
        Application app = GoldenFiles.read(GoldenFiles.ROOT.resolve("application/full"), "in-Application.yaml", Application.class);
        ApplicationPlan plan = ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", new Secret()),
                Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY);
        Secret first = GeneratedSecretDependent.build(app, plan, Map.of());
        String value = decode(first.getData().get("JWT_SECRET"));
        assertThat(value).hasSize(48).matches("[A-Za-z0-9_-]+");
        assertThat(decode(first.getData().get("SESSION_KEY"))).hasSize(32);

        Secret again = GeneratedSecretDependent.build(app, plan, first.getData());
        assertThat(again.getData()).isEqualTo(first.getData());

        Secret partial = GeneratedSecretDependent.build(app, plan, Map.of("JWT_SECRET", first.getData().get("JWT_SECRET")));
        assertThat(partial.getData().get("JWT_SECRET")).isEqualTo(first.getData().get("JWT_SECRET"));
        assertThat(partial.getData().get("SESSION_KEY")).isNotEqualTo(first.getData().get("SESSION_KEY"));

        Secret rotated = GeneratedSecretDependent.build(app, plan, Map.of());
        assertThat(rotated.getData().get("JWT_SECRET")).isNotEqualTo(first.getData().get("JWT_SECRET"));
    }

    @Test
    void configHashFollowsEnvSecretsAndEnvironmentButNotGeneratedValues() {
        Application app = GoldenFiles.read(GoldenFiles.ROOT.resolve("application/full"), "in-Application.yaml", Application.class);
        Secret s1 = new SecretBuilder().addToData("PASSWORD", "YQ==").build();
        Secret s2 = new SecretBuilder().addToData("PASSWORD", "Yg==").build();
        String base = ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", s1), Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY).configHash();
        assertThat(ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", s1), Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY).configHash())
                .as("stable").isEqualTo(base);
        assertThat(ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", s2), Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY).configHash())
                .as("a referenced Secret's data").isNotEqualTo(base);
        app.getSpec().env.put("NEW", "1");
        assertThat(ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", s1), Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY).configHash())
                .as("spec.env").isNotEqualTo(base);
        Secret generated = new SecretBuilder().withNewMetadata().withName("full-generated").endMetadata()
                .addToData("JWT_SECRET", "eA==").build();
        String withGenerated = ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", s1), Optional.of(generated), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY)
                .configHash();
        assertThat(ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", s1), Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY).configHash())
                .as("creating the generated Secret does not roll the pods again").isEqualTo(withGenerated);
        assertThat(ApplicationPlanner.plan(app, Optional.empty(), Map.of("shop-secrets", s1), Optional.empty(), Optional.empty(), Optional.empty(), NOW,
                "another operator, another key".getBytes(java.nio.charset.StandardCharsets.UTF_8)).configHash())
                .as("keyed: another key gives another hash").isNotEqualTo(withGenerated);
    }

    @Test
    void missingReferencedSecretIsReportedByName() {
        Application app = GoldenFiles.read(GoldenFiles.ROOT.resolve("application/full"), "in-Application.yaml", Application.class);
        ApplicationPlan plan = ApplicationPlanner.plan(app, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), NOW, GOLDEN_HASH_KEY);
        assertThat(plan.missingSecrets()).containsExactly("shop-secrets");
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64));
    }
}
