package dev.runway.operator.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runway.operator.api.v1alpha1.PodTemplateOverride;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/**
 * Applies spec.podTemplate over the pod template Runway built, strategic-merge style: maps merge key
 * by key; lists of named things (containers, init containers, volumes, env) merge by name, ports by
 * containerPort, volumeMounts by mountPath; any other list, and every scalar, replaces. Records each
 * path where a value Runway set was replaced, for status. Runway's labels, the runway.dev/
 * annotations and the app container's name and image are put back after the merge: admission
 * refuses them, and an object stored before that rule existed must not break the selector either.
 */
public final class PodTemplateOverrides {
    /** How many replaced paths status lists. */
    static final int MAX_LISTED = 20;
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name", "initContainers", "name", "volumes", "name", "env", "name",
            "ports", "containerPort", "volumeMounts", "mountPath");

    /** The merged template and the paths where it replaced what Runway set. */
    public record Result(PodTemplateSpec template, List<String> overridden) {
    }

    private PodTemplateOverrides() {
    }

    public static Result apply(PodTemplateSpec base, PodTemplateOverride override) {
        if (override == null || (override.metadata == null && override.spec == null)) {
            return new Result(base, List.of());
        }
        Map<String, Object> merged = JSON.convertValue(base, MAP);
        Map<String, Object> patch = JSON.convertValue(override, MAP);
        List<String> paths = new ArrayList<>();
        mergeMap(merged, patch, "", paths);
        withApiServerDefaults(merged);
        PodTemplateSpec result = JSON.convertValue(merged, PodTemplateSpec.class);
        protect(base, result);
        return new Result(result, paths.size() > MAX_LISTED ? List.copyOf(paths.subList(0, MAX_LISTED)) : List.copyOf(paths));
    }

    @SuppressWarnings("unchecked")
    private static void mergeMap(Map<String, Object> target, Map<String, Object> patch, String path, List<String> paths) {
        for (var entry : patch.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            Object current = target.get(key);
            String at = path.isEmpty() ? key : path + "." + key;
            if (value instanceof Map<?, ?> m && current instanceof Map<?, ?> c) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) c);
                mergeMap(copy, (Map<String, Object>) m, at, paths);
                target.put(key, copy);
            } else if (value instanceof List<?> l && current instanceof List<?> c && MERGE_KEYS.containsKey(key)) {
                target.put(key, mergeList((List<Object>) c, (List<Object>) l, MERGE_KEYS.get(key), at, paths, newEntry(key, path, target)));
            } else {
                if (current != null && !Objects.equals(current, value)) {
                    paths.add(at);
                }
                target.put(key, value);
            }
        }
    }

    /**
     * What a new entry starts from: a container the override adds runs with the security context
     * Runway gives every container of the pod (so it passes the namespace's Pod Security like the
     * others), its own fields merged over it.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> newEntry(String key, String path, Map<String, Object> podSpec) {
        if (!"spec".equals(path) || !("containers".equals(key) || "initContainers".equals(key))
                || !(podSpec.get("containers") instanceof List<?> containers) || containers.isEmpty()
                || !(containers.get(0) instanceof Map<?, ?> app) || app.get("securityContext") == null) {
            return Map.of();
        }
        return Map.of("securityContext", JSON.convertValue(app.get("securityContext"), MAP));
    }

    /** Entries with the same key merge; new ones are appended in the patch's order, over {@code newEntry}. */
    @SuppressWarnings("unchecked")
    private static List<Object> mergeList(List<Object> target, List<Object> patch, String mergeKey, String path, List<String> paths,
            Map<String, Object> newEntry) {
        List<Object> result = new ArrayList<>(target);
        for (Object item : patch) {
            Object key = item instanceof Map<?, ?> m ? m.get(mergeKey) : null;
            int index = -1;
            for (int i = 0; key != null && i < result.size(); i++) {
                if (result.get(i) instanceof Map<?, ?> m && Objects.equals(String.valueOf(m.get(mergeKey)), String.valueOf(key))) {
                    index = i;
                    break;
                }
            }
            if (index < 0) {
                Map<String, Object> added = new LinkedHashMap<>(newEntry);
                mergeMap(added, (Map<String, Object>) item, path + "[" + key + "]", new ArrayList<>());
                result.add(added);
            } else {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) result.get(index));
                mergeMap(copy, (Map<String, Object>) item, path + "[" + key + "]", paths);
                result.set(index, copy);
            }
        }
        return result;
    }

    /**
     * The values the API server would fill in inside atomic structures (an env var's fieldRef, a
     * projected volume's sources): whoever applies an atomic structure owns all of it, defaults
     * included, so leaving them out would make every reconcile see a difference and apply again.
     */
    @SuppressWarnings("unchecked")
    private static void withApiServerDefaults(Object node) {
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> m = (Map<String, Object>) map;
            if (m.get("fieldRef") instanceof Map<?, ?> ref && !ref.containsKey("apiVersion")) {
                ((Map<String, Object>) ref).put("apiVersion", "v1");
            }
            if (m.get("serviceAccountToken") instanceof Map<?, ?> token && !token.containsKey("expirationSeconds")) {
                ((Map<String, Object>) token).put("expirationSeconds", 3600);
            }
            m.values().forEach(PodTemplateOverrides::withApiServerDefaults);
        } else if (node instanceof List<?> list) {
            list.forEach(PodTemplateOverrides::withApiServerDefaults);
        }
    }

    /** Runway's labels and annotations, and the app container's image, as Runway set them. */
    private static void protect(PodTemplateSpec base, PodTemplateSpec merged) {
        Map<String, String> labels = new LinkedHashMap<>(merged.getMetadata().getLabels());
        labels.putAll(base.getMetadata().getLabels());
        merged.getMetadata().setLabels(labels);
        Map<String, String> annotations = new LinkedHashMap<>(merged.getMetadata().getAnnotations());
        annotations.keySet().removeIf(k -> k.startsWith("runway.dev/"));
        annotations.putAll(base.getMetadata().getAnnotations());
        merged.getMetadata().setAnnotations(annotations);
        String image = base.getSpec().getContainers().stream().filter(c -> PodTemplates.APP_CONTAINER.equals(c.getName()))
                .map(Container::getImage).findFirst().orElse(null);
        merged.getSpec().getContainers().stream().filter(c -> PodTemplates.APP_CONTAINER.equals(c.getName()))
                .forEach(c -> c.setImage(image));
    }
}
