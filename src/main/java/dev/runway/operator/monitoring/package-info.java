/**
 * The operator's own metrics and the Prometheus Operator objects Runway writes for Applications (alert
 * rules, burn rates, ServiceMonitors). Depends on common and api only.
 */
package dev.runway.operator.monitoring;
