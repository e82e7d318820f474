package dev.runway.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Golden files: {@code desired/environment/<case>/in-Environment.yaml} (and optionally the
 * existing {@code in-Namespace.yaml}) give exactly the {@code out-<Kind>-<name>.yaml} objects, with
 * the same reconcile preconditions the controller uses. {@code -Drunway.golden.update=true}
 * rewrites the out- files; review the diff before committing.
 */
@Tag(Tiers.UNIT)
class EnvironmentDesiredStateTest {
    static final Path ROOT = Path.of("src/test/resources/desired/environment");
    static final KubernetesSerialization YAML = new KubernetesSerialization();

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void desiredChildrenMatchTheGoldenFiles(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        Environment env = YAML.unmarshal(Files.readString(dir.resolve("in-Environment.yaml")), Environment.class);
        Optional<Namespace> existing = Files.exists(dir.resolve("in-Namespace.yaml"))
                ? Optional.of(YAML.unmarshal(Files.readString(dir.resolve("in-Namespace.yaml")), Namespace.class))
                : Optional.empty();
        NamespaceOwnership ownership = NamespaceOwnership.decide(env, existing, other -> false);
        assertThat(ownership.verdict().managed()).as("the golden cases are environments Runway manages").isTrue();

        List<HasMetadata> children = desired(env, EnvironmentPlan.of(env, ownership));
        List<String> expected = new ArrayList<>();
        for (HasMetadata child : children) {
            String file = "out-" + child.getKind() + "-" + child.getMetadata().getName() + ".yaml";
            expected.add(file);
            String rendered = YAML.asYaml(child);
            Path golden = dir.resolve(file);
            if (Boolean.getBoolean("runway.golden.update")) {
                Files.writeString(golden, rendered);
            }
            assertThat(golden).as("%s/%s exists (run with -Drunway.golden.update=true to create it)", name, file).exists();
            assertThat(rendered).as("%s/%s", name, file).isEqualTo(Files.readString(golden));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("out-")))
                    .as("no golden file for an object that is no longer made")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** What the workflow applies: every dependent whose reconcile precondition holds. */
    static List<HasMetadata> desired(Environment env, EnvironmentPlan plan) {
        List<HasMetadata> out = new ArrayList<>();
        out.add(NamespaceDependent.build(env, plan));
        if (new EnvironmentConfigMapDependent.HasVariables().isMet(null, env, null)) {
            out.add(EnvironmentConfigMapDependent.build(env, plan));
        }
        if (new ResourceQuotaDependent.Enabled().isMet(null, env, null)) {
            out.add(ResourceQuotaDependent.build(env, plan));
        }
        if (new LimitRangeDependent.Enabled().isMet(null, env, null)) {
            out.add(LimitRangeDependent.build(env, plan));
        }
        if (new NetworkPolicyDependent.Enabled().isMet(null, env, null)) {
            out.add(NetworkPolicyDependent.build(env, plan));
        }
        out.addAll(RoleBindingsDependent.build(env, plan).values());
        return out;
    }
}
