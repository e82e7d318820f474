/**
 * The BackupPolicy controller: backup and verification CronJobs, the backup volume and scripts, on-demand
 * backups, results read from the Jobs' termination messages, freshness and the backup metrics and alerts.
 * {@link dev.runway.operator.backup.BackupJobs} also builds the backup Jobs other kinds ask for
 * (pre-migration, pre-restore), and {@link dev.runway.operator.backup.VolumeUsers} keeps one Job at a time
 * on a policy's volume. Depends on common, api and monitoring (its metrics).
 */
package dev.runway.operator.backup;
