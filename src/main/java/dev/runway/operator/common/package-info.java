/**
 * What every controller shares and nothing kind-specific: the status toolkit (summary conditions,
 * transitions and their events, patch-if-changed, error status), informer and Secret-cache helpers,
 * labels, hashes, Pod Security and pod-template helpers, the operator's configuration and clock.
 * Depends on api only.
 */
package dev.runway.operator.common;
