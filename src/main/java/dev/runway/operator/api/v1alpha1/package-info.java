/**
 * Runway's API, group {@code runway.dev}, version {@code v1alpha1}: what platform teams write and
 * what SREs read. Every field's {@code @JsonPropertyDescription} becomes its CRD description, so
 * {@code kubectl explain} is the manual.
 */
package dev.runway.operator.api.v1alpha1;
