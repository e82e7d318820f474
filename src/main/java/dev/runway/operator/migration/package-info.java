/**
 * The MigrationJob controller (pre-migration backup, migration Job, rollback Job) and the migration gate
 * an Application's new image waits at. Depends on common, api, backup and monitoring.
 */
package dev.runway.operator.migration;
