package dev.runway.operator.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The constraints the committed CRDs declare (CEL rules, pattern, enum, bounds, lengths, item
 * counts, required fields), matched against a catalogue of {@link AdmissionCase}s.
 */
final class CrdConstraints {
    static final Path CRDS = Path.of("crds");
    /** Shorter expected messages are too generic to tie a case to one CEL rule. */
    private static final int MIN_RULE_MESSAGE = 15;

    private CrdConstraints() {
    }

    /** One line per constraint no case exercises: "Kind path: what". */
    static List<String> uncovered(List<AdmissionCase> cases) {
        List<String> missing = new ArrayList<>();
        crds().forEach((kind, crd) -> {
            List<AdmissionCase> ofKind = cases.stream().filter(c -> kind.equals(c.kind())).toList();
            walk(kind, crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(), "", ofKind, missing);
        });
        return missing;
    }

    static Map<String, CustomResourceDefinition> crds() {
        Map<String, CustomResourceDefinition> crds = new TreeMap<>();
        try (Stream<Path> files = Files.list(CRDS)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-v1.yml")).toList()) {
                CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
                crds.put(crd.getSpec().getNames().getKind(), crd);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return crds;
    }

    private static void walk(String kind, JSONSchemaProps schema, String path, List<AdmissionCase> cases, List<String> missing) {
        if ("status".equals(path)) {
            return;
        }
        for (ValidationRule rule : schema.getXKubernetesValidations() == null ? List.<ValidationRule>of()
                : schema.getXKubernetesValidations()) {
            String message = rule.getMessage() == null ? rule.getRule() : rule.getMessage();
            if (cases.stream().noneMatch(c -> c.message().length() >= MIN_RULE_MESSAGE && message.contains(c.message())
                    && under(path, c.field()))) {
                missing.add(kind + " " + path + ": rule '" + message + "'");
            }
        }
        List<String> keywords = keywords(schema);
        if (!keywords.isEmpty() && cases.stream().noneMatch(c -> path.equals(normalized(c.field())))) {
            missing.add(kind + " " + path + ": " + keywords);
        }
        for (String required : schema.getRequired() == null ? List.<String>of() : schema.getRequired()) {
            String field = path.isEmpty() ? required : path + "." + required;
            if (cases.stream().noneMatch(c -> field.equals(normalized(c.field())) && "Required value".equals(c.message()))) {
                missing.add(kind + " " + field + ": required");
            }
        }
        if (schema.getProperties() != null) {
            schema.getProperties().forEach((name, child) -> walk(kind, child, path.isEmpty() ? name : path + "." + name, cases, missing));
        }
        if (schema.getItems() != null && schema.getItems().getSchema() != null) {
            walk(kind, schema.getItems().getSchema(), path + "[]", cases, missing);
        }
        if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
            walk(kind, schema.getAdditionalProperties().getSchema(), path + "{}", cases, missing);
        }
    }

    private static List<String> keywords(JSONSchemaProps s) {
        List<String> k = new ArrayList<>();
        add(k, "pattern", s.getPattern());
        add(k, "enum", s.getEnum() == null || s.getEnum().isEmpty() ? null : s.getEnum());
        add(k, "minimum", s.getMinimum());
        add(k, "maximum", s.getMaximum());
        add(k, "minLength", s.getMinLength());
        add(k, "maxLength", s.getMaxLength());
        add(k, "minItems", s.getMinItems());
        add(k, "maxItems", s.getMaxItems());
        return k;
    }

    private static void add(List<String> keywords, String name, Object value) {
        if (value != null) {
            keywords.add(name);
        }
    }

    private static boolean under(String path, String field) {
        String f = normalized(field);
        return path.isEmpty() || f.equals(path) || f.startsWith(path + ".") || f.startsWith(path + "[");
    }

    /** spec.access[0].role → spec.access[].role, as paths in the schema read. */
    static String normalized(String field) {
        return field.replaceAll("\\[\\d+\\]", "[]");
    }
}
