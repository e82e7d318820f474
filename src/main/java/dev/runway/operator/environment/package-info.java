/**
 * The Environment controller: the namespace (created, adopted or refused by the tenancy rules), its Pod
 * Security, quota, limits, NetworkPolicy and RoleBindings, and the promotion gate that Applications of a
 * downstream Environment pass. Depends on common, api and monitoring.
 */
package dev.runway.operator.environment;
