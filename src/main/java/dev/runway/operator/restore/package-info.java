/**
 * The Restore controller: restores a backup of a BackupPolicy into a new database or, when a field says
 * data is replaced, in place after a safety backup; one Job at a time on the policy's volume. Depends on
 * common, api, backup and migration (a MigrationJob's pinned backup).
 */
package dev.runway.operator.restore;
