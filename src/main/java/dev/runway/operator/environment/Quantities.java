package dev.runway.operator.environment;

import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;

/** Semantic comparison of what the API server normalises, so a no-op reconcile writes nothing. */
final class Quantities {
    private Quantities() {
    }

    /** Same keys, and each amount equal as a number (1Gi == 1024Mi, 0.5 == 500m). */
    static boolean sameAmounts(Map<String, Quantity> actual, Map<String, Quantity> desired) {
        Map<String, Quantity> a = actual == null ? Map.of() : actual;
        Map<String, Quantity> d = desired == null ? Map.of() : desired;
        if (!a.keySet().equals(d.keySet())) {
            return false;
        }
        return d.entrySet().stream().allMatch(e -> a.get(e.getKey()) != null
                && a.get(e.getKey()).getNumericalAmount().compareTo(e.getValue().getNumericalAmount()) == 0);
    }

    /** Every desired label is there with its value (other labels, added by others, are left alone). */
    static boolean sameLabels(HasMetadata actual, HasMetadata desired) {
        Map<String, String> have = actual.getMetadata().getLabels() == null ? Map.of() : actual.getMetadata().getLabels();
        Map<String, String> want = desired.getMetadata().getLabels() == null ? Map.of() : desired.getMetadata().getLabels();
        return want.entrySet().stream().allMatch(e -> Objects.equals(have.get(e.getKey()), e.getValue()));
    }
}
