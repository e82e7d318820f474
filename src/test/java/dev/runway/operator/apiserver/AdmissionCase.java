package dev.runway.operator.apiserver;

/**
 * One bad object and what the API server must say about it.
 *
 * @param name     what is wrong, as the test's display name
 * @param yaml     the object (metadata.namespace is filled in by the test for namespaced kinds)
 * @param field    the field path the rejection must name
 * @param message  text the rejection must contain
 */
public record AdmissionCase(String name, String yaml, String field, String message) {
    @Override
    public String toString() {
        return name;
    }
}
