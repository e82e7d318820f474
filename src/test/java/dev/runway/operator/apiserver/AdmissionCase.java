package dev.runway.operator.apiserver;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One bad object and what the API server must say about it.
 *
 * @param name     what is wrong, as the test's display name
 * @param yaml     the object (metadata.namespace is filled in by the test for namespaced kinds)
 * @param field    the field path the rejection must name
 * @param message  text the rejection must contain
 * @param before   for rules on updates (those comparing with {@code oldSelf}): the object stored first, which
 *                 {@code yaml} then replaces; {@code null} for rules checked on create
 */
public record AdmissionCase(String name, String yaml, String field, String message, String before) {
    private static final Pattern KIND = Pattern.compile("(?m)^kind: (\\w+)$");

    public AdmissionCase(String name, String yaml, String field, String message) {
        this(name, yaml, field, message, null);
    }

    /** The same rejection, expected when {@code yaml} replaces {@code stored}. */
    public AdmissionCase onUpdateOf(String stored) {
        return new AdmissionCase(name, yaml, field, message, stored);
    }

    public String kind() {
        Matcher m = KIND.matcher(yaml);
        if (!m.find()) {
            throw new IllegalStateException(name + ": no kind in " + yaml);
        }
        return m.group(1);
    }

    @Override
    public String toString() {
        return kind() + ": " + name;
    }
}
