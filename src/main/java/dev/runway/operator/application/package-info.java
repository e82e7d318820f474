/**
 * The Application controller: turns an Application and its Environment into a plan
 * ({@link dev.runway.operator.application.ApplicationPlanner}), converges the children the plan wants
 * (Deployment or Argo Rollout, Services, ConfigMap, generated Secret, HPA, PDB, Ingress, monitoring
 * objects, kept volume claims) and writes the status an SRE reads
 * ({@link dev.runway.operator.application.ApplicationStatusFactory}). The levers (promote, abort,
 * restart, rotate-secrets) are pulled here too. Depends on common, api, environment (the promotion gate),
 * migration (the migration gate) and monitoring.
 */
package dev.runway.operator.application;
