package dev.runway.operator.backup;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;

import dev.runway.operator.api.v1alpha1.BackupPolicySpec;

/** A BackupPolicy's recovery objectives as durations (the schema's pattern has admitted them). */
final class Objectives {
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile(BackupPolicySpec.Objectives.DURATION);

    private Objectives() {
    }

    static Optional<Duration> recoveryPoint(BackupPolicySpec spec) {
        return spec.objectives == null ? Optional.empty() : parse(spec.objectives.recoveryPoint);
    }

    static Optional<Duration> recoveryTime(BackupPolicySpec spec) {
        return spec.objectives == null ? Optional.empty() : parse(spec.objectives.recoveryTime);
    }

    /** 1h30m, 90m, 45s, ...; empty for null or anything else. */
    static Optional<Duration> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) {
            d = d.plusHours(Long.parseLong(m.group(1).replace("h", "")));
        }
        if (m.group(2) != null) {
            d = d.plusMinutes(Long.parseLong(m.group(2).replace("m", "")));
        }
        if (m.group(3) != null) {
            d = d.plusSeconds(Long.parseLong(m.group(3).replace("s", "")));
        }
        return Optional.of(d);
    }
}
