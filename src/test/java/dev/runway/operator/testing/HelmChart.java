package dev.runway.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** The operator's Helm chart (helm/runway-operator), rendered by helm-java: no helm binary needed. */
public final class HelmChart {
    public static final Path DIR = Path.of(System.getProperty("user.dir"), "helm", "runway-operator");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private HelmChart() {
    }

    public static Helm helm() {
        return new Helm(DIR);
    }

    /** The Kubernetes version templates are rendered for: the local control plane's (hack/versions.env). */
    public static final String KUBE_VERSION = "1.34.4";

    /** {@code helm template <release> -n <namespace>} with default values, parsed into objects. */
    public static List<HasMetadata> render(String release, String namespace) {
        return render(release, namespace, "");
    }

    /**
     * {@code helm template <release> -n <namespace> -f <values>}, parsed into objects (typed where
     * Fabric8 knows the kind). A values file rather than --set: helm-java passes --set values as strings.
     */
    public static List<HasMetadata> render(String release, String namespace, String valuesYaml) {
        try {
            Path values = Files.createTempFile("runway-values", ".yaml");
            try {
                Files.writeString(values, valuesYaml);
                TemplateCommand template = helm().template().withName(release).withNamespace(namespace)
                        .withKubeVersion(KUBE_VERSION).withValuesFile(values).skipCrds();
                return parse(template.call());
            } finally {
                Files.deleteIfExists(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The operator container's JVM environment with the chart's default values ({@code jvm.options},
     * {@code jvm.mallocArenaMax}): the process tests and the benchmark run the jar with it, so the
     * memory they measure is the memory of the chart's settings.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, String> operatorJvmEnvironment() {
        try {
            Map<String, Object> values = SERIALIZATION.unmarshal(Files.readString(DIR.resolve("values.yaml")), Map.class);
            Map<String, Object> jvm = (Map<String, Object>) values.get("jvm");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("JAVA_TOOL_OPTIONS", String.valueOf(jvm.get("options")));
            env.put("MALLOC_ARENA_MAX", String.valueOf(jvm.get("mallocArenaMax")));
            return env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<HasMetadata> parse(String manifests) {
        return Arrays.stream(manifests.split("(?m)^---\\s*$"))
                .filter(doc -> doc.lines().anyMatch(l -> l.startsWith("kind:")))
                .map(doc -> (HasMetadata) SERIALIZATION.unmarshal(doc, HasMetadata.class))
                .toList();
    }

    public static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
        List<T> found = all(objects, type);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    public static Optional<HasMetadata> ofKind(List<HasMetadata> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.getKind())).findFirst();
    }
}
