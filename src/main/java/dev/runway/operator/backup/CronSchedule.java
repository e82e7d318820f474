package dev.runway.operator.backup;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cron schedule in the grammar of the Kubernetes CronJob controller (the standard parser of
 * robfig/cron v3): five fields, or a macro such as {@code @daily}. Runway needs it for two things
 * the CronJob does not report: when the next run is due ({@code status.nextScheduleTime}) and how
 * far apart runs are (a backup older than twice that is stale).
 *
 * <p>Semantics follow robfig/cron: day-of-week 0-6 (Sunday 0); names in the month and
 * day-of-week fields; {@code N/step} means N to the field's maximum; when both day fields are
 * restricted (neither starts with '*' or '?') a day matches either, otherwise both. Like Runway's
 * admission rules (and unlike robfig/cron) it takes '?' only in the two day fields.
 */
public final class CronSchedule {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
    private static final String[] MONTHS = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
    private static final String[] WEEKDAYS = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
    /** Far enough to see every gap of a yearly schedule (and of February 29th), short enough to stay cheap. */
    private static final int MAX_YEARS_AHEAD = 9;
    /** A fixed instant to check that an expression fires at all, so parsing does not depend on the clock. */
    private static final Instant REFERENCE = Instant.parse("2000-01-01T00:00:00Z");

    private final String expression;
    private final ZoneId zone;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(String expression, ZoneId zone, long[] fields, boolean anyDayOfMonth, boolean anyDayOfWeek) {
        this.expression = expression;
        this.zone = zone;
        this.minutes = fields[0];
        this.hours = fields[1];
        this.daysOfMonth = fields[2];
        this.months = fields[3];
        this.daysOfWeek = fields[4];
        this.anyDayOfMonth = anyDayOfMonth;
        this.anyDayOfWeek = anyDayOfWeek;
    }

    /**
     * Parses {@code expression}, evaluated in {@code zone}.
     *
     * @throws IllegalArgumentException with a message naming the bad part, when the expression is
     *         invalid or never fires (e.g. February 30th)
     */
    public static CronSchedule parse(String expression, ZoneId zone) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("the schedule is empty");
        }
        String text = expression.trim();
        if (text.startsWith("@")) {
            String standard = MACROS.get(text);
            if (standard == null) {
                throw new IllegalArgumentException("unknown macro " + text + " (use @yearly, @monthly, @weekly, @daily or @hourly)");
            }
            text = standard;
        }
        String[] parts = text.split("\\s+");
        if (parts.length != 5) {
            throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), found " + parts.length);
        }
        long[] fields = new long[5];
        for (Field f : Field.values()) {
            fields[f.ordinal()] = f.parse(parts[f.ordinal()]);
        }
        CronSchedule schedule = new CronSchedule(expression, zone, fields, startsWithAny(parts[2]), startsWithAny(parts[4]));
        if (schedule.next(REFERENCE).isEmpty()) {
            throw new IllegalArgumentException("'" + expression.trim() + "' never fires (no such day)");
        }
        return schedule;
    }

    private static boolean startsWithAny(String field) {
        return field.startsWith("*") || field.startsWith("?");
    }

    public String expression() {
        return expression;
    }

    /** The first run strictly after {@code after}; empty if there is none within nine years. */
    public Optional<Instant> next(Instant after) {
        ZonedDateTime t = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int yearLimit = t.getYear() + MAX_YEARS_AHEAD;
        // Advance the coarsest field that does not match, resetting the finer ones (robfig/cron's walk).
        while (t.getYear() <= yearLimit) {
            if (!has(months, t.getMonthValue())) {
                t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(t)) {
                t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!has(hours, t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!has(minutes, t.getMinute())) {
                t = t.plusMinutes(1);
            } else {
                return Optional.of(t.toInstant());
            }
        }
        return Optional.empty();
    }

    /**
     * The longest gap between two consecutive runs in the year after {@code from} (at least three
     * run days are looked at, so yearly schedules work). For '0 2 * * 1-5' that is the weekend, 72
     * hours: a backup is only late when it is late on every schedule the expression allows.
     */
    public Duration interval(Instant from) {
        int[] times = timesOfDay();
        long longestWithinADay = 0;
        for (int i = 1; i < times.length; i++) {
            longestWithinADay = Math.max(longestWithinADay, times[i] - times[i - 1]);
        }
        Duration longest = Duration.ofMinutes(longestWithinADay);
        LocalDate first = from.atZone(zone).toLocalDate();
        LocalDate horizon = first.plusDays(366);
        LocalDate limit = first.plusYears(MAX_YEARS_AHEAD);
        LocalDate previous = null;
        int runDays = 0;
        for (LocalDate day = first; (day.isBefore(horizon) || runDays < 3) && day.isBefore(limit); day = day.plusDays(1)) {
            if (!has(months, day.getMonthValue()) || !dayMatches(day)) {
                continue;
            }
            if (previous != null) {
                Instant lastRun = at(previous, times[times.length - 1]);
                Instant firstRun = at(day, times[0]);
                Duration gap = Duration.between(lastRun, firstRun);
                longest = gap.compareTo(longest) > 0 ? gap : longest;
            }
            previous = day;
            runDays++;
        }
        return longest;
    }

    /** Minutes after midnight at which the schedule fires on a day it fires, ascending. */
    private int[] timesOfDay() {
        int[] times = new int[Long.bitCount(hours) * Long.bitCount(minutes)];
        int i = 0;
        for (int h = 0; h < 24; h++) {
            for (int m = 0; m < 60; m++) {
                if (has(hours, h) && has(minutes, m)) {
                    times[i++] = h * 60 + m;
                }
            }
        }
        return times;
    }

    private Instant at(LocalDate day, int minuteOfDay) {
        return day.atTime(minuteOfDay / 60, minuteOfDay % 60).atZone(zone).toInstant();
    }

    private boolean dayMatches(ZonedDateTime t) {
        return dayMatches(t.toLocalDate());
    }

    private boolean dayMatches(LocalDate t) {
        boolean dom = has(daysOfMonth, t.getDayOfMonth());
        boolean dow = has(daysOfWeek, t.getDayOfWeek().getValue() % 7);
        return anyDayOfMonth || anyDayOfWeek ? dom && dow : dom || dow;
    }

    private static boolean has(long bits, int value) {
        return (bits & (1L << value)) != 0;
    }

    private enum Field {
        MINUTE("minute", 0, 59, null), HOUR("hour", 0, 23, null), DAY_OF_MONTH("day-of-month", 1, 31, null),
        MONTH("month", 1, 12, MONTHS), DAY_OF_WEEK("day-of-week", 0, 6, WEEKDAYS);

        final String label;
        final int min;
        final int max;
        final String[] names;

        Field(String label, int min, int max, String[] names) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.names = names;
        }

        long parse(String text) {
            long bits = 0;
            for (String element : text.split(",", -1)) {
                bits |= element(element);
            }
            return bits;
        }

        private long element(String element) {
            String[] rangeAndStep = element.split("/", -1);
            if (rangeAndStep.length > 2 || rangeAndStep[0].isEmpty()) {
                throw new IllegalArgumentException("cannot read '" + element + "' in the " + label + " field");
            }
            int start;
            int end;
            String range = rangeAndStep[0];
            if (range.equals("?") && this != DAY_OF_MONTH && this != DAY_OF_WEEK) {
                throw new IllegalArgumentException("'?' is only allowed in the day-of-month and day-of-week fields");
            }
            if (range.equals("*") || range.equals("?")) {
                start = min;
                end = max;
            } else {
                String[] bounds = range.split("-", -1);
                if (bounds.length > 2) {
                    throw new IllegalArgumentException("cannot read the range '" + range + "' in the " + label + " field");
                }
                start = value(bounds[0]);
                end = bounds.length == 2 ? value(bounds[1]) : rangeAndStep.length == 2 ? max : start;
                if (start > end) {
                    throw new IllegalArgumentException("the range '" + range + "' in the " + label + " field starts after it ends");
                }
            }
            int step = 1;
            if (rangeAndStep.length == 2) {
                step = number(rangeAndStep[1], "step");
                if (step < 1) {
                    throw new IllegalArgumentException("the step in '" + element + "' (" + label + " field) must be 1 or more");
                }
            }
            long bits = 0;
            for (int v = start; v <= end; v += step) {
                bits |= 1L << v;
            }
            return bits;
        }

        private int value(String text) {
            if (names != null) {
                String lower = text.toLowerCase(Locale.ROOT);
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(lower)) {
                        return i + min;
                    }
                }
            }
            int v = number(text, "value");
            if (v < min || v > max) {
                throw new IllegalArgumentException(label + " " + v + " is outside " + min + "-" + max);
            }
            return v;
        }

        private int number(String text, String what) {
            if (!text.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("'" + text + "' is not a " + what + " of the " + label + " field");
            }
            return Integer.parseInt(text);
        }
    }
}
