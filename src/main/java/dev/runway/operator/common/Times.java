package dev.runway.operator.common;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** RFC 3339 times as Kubernetes writes them in status, and durations as people read them. */
public final class Times {
    private Times() {
    }

    /** Parses an RFC 3339 time; null when absent or unreadable. */
    public static Instant parse(String time) {
        if (time == null) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Orders times; an absent or unreadable time is older than any other. */
    public static int compare(String a, String b) {
        Instant x = parse(a);
        Instant y = parse(b);
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        return x.compareTo(y);
    }

    /** 2d, 48h, 90m, 45s: the largest unit that divides the duration. */
    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0 && s >= 86400) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s >= 3600) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s >= 60) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
