package dev.runway.operator.backup;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.BackupPolicy;
import dev.runway.operator.api.v1alpha1.BackupPolicySpec;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * Works out a {@link BackupPlan}: reads the schedules and the time zone, and checks what admission
 * cannot — that the schedules fire at all and that the database Secret exists with the keys the
 * pods read. Pure: the Secret and the time are passed in.
 */
public final class BackupPlanner {
    /** The keys backup pods read from spec.database.secretRef. */
    public static final List<String> SECRET_KEYS = List.of("host", "port", "database", "username", "password");

    private BackupPlanner() {
    }

    public static BackupPlan plan(BackupPolicy policy, Optional<Secret> secret, String image, boolean monitoring, Instant now) {
        BackupPolicySpec spec = policy.getSpec();
        String ns = policy.getMetadata().getNamespace();
        ZoneId zone;
        try {
            zone = spec.timeZone == null ? ZoneOffset.UTC : ZoneId.of(spec.timeZone);
        } catch (DateTimeException e) {
            return blocked(image, ZoneOffset.UTC, monitoring, "InvalidTimeZone", "spec.timeZone '" + spec.timeZone
                    + "' is not a known time zone (" + e.getMessage() + "); use an IANA name such as Europe/Berlin or UTC");
        }
        CronSchedule schedule;
        try {
            schedule = CronSchedule.parse(spec.schedule, zone);
        } catch (IllegalArgumentException e) {
            return blocked(image, zone, monitoring, "InvalidSchedule", "spec.schedule '" + spec.schedule.trim() + "' cannot be used: "
                    + e.getMessage() + "; fix spec.schedule (e.g. '0 2 * * *')");
        }
        if (spec.verification != null) {
            try {
                CronSchedule.parse(spec.verification.schedule, zone);
            } catch (IllegalArgumentException e) {
                return blocked(image, zone, monitoring, "InvalidSchedule", "spec.verification.schedule '"
                        + spec.verification.schedule.trim() + "' cannot be used: " + e.getMessage()
                        + "; fix spec.verification.schedule (e.g. '0 4 * * 0')");
            }
        }
        Duration staleAfter = Objectives.recoveryPoint(spec).orElseGet(() -> schedule.interval(now).multipliedBy(2));
        Instant nextRun = Boolean.TRUE.equals(spec.suspend) ? null : schedule.next(now).orElse(null);
        String secretName = spec.database.secretRef;
        if (secret.isEmpty()) {
            return new BackupPlan(image, zone, staleAfter, nextRun, "SecretNotFound", "Secret " + secretName + " not found in " + ns
                    + "; create it with keys " + String.join(", ", SECRET_KEYS) + " or fix spec.database.secretRef."
                    + " Nothing is changed until it exists.", monitoring);
        }
        List<String> missing = missingKeys(secret.get());
        if (!missing.isEmpty()) {
            return new BackupPlan(image, zone, staleAfter, nextRun, "SecretIncomplete", "Secret " + secretName + " in " + ns
                    + " lacks the keys " + String.join(", ", missing) + "; backup pods read " + String.join(", ", SECRET_KEYS)
                    + " from it. Nothing is changed until they exist.", monitoring);
        }
        return new BackupPlan(image, zone, staleAfter, nextRun, null, null, monitoring);
    }

    /** Key names only: values are never read. */
    static List<String> missingKeys(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        Map<String, String> stringData = secret.getStringData() == null ? Map.of() : secret.getStringData();
        return SECRET_KEYS.stream().filter(k -> !data.containsKey(k) && !stringData.containsKey(k)).toList();
    }

    private static BackupPlan blocked(String image, ZoneId zone, boolean monitoring, String reason, String text) {
        return new BackupPlan(image, zone, null, null, reason, text, monitoring);
    }
}
