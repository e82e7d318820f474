package dev.runway.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;

import dev.runway.operator.testing.Tiers;

@Tag(Tiers.UNIT)
class CronScheduleTest {
    static final ZoneId UTC = ZoneOffset.UTC;
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A Wednesday. */
    static final Instant WEDNESDAY_NOON = Instant.parse("2026-01-14T12:00:00Z");

    @ParameterizedTest
    @FieldSource("dev.runway.operator.backup.CronExamples#VALID")
    void validExpressionsParseAndFire(String expression) {
        CronSchedule schedule = CronSchedule.parse(expression, UTC);
        assertThat(schedule.next(WEDNESDAY_NOON)).isPresent();
        assertThat(schedule.interval(WEDNESDAY_NOON)).isPositive();
    }

    @ParameterizedTest
    @FieldSource({ "dev.runway.operator.backup.CronExamples#REJECTED", "dev.runway.operator.backup.CronExamples#UNUSABLE" })
    void invalidExpressionsAreRejectedWithAReason(String expression) {
        assertThatThrownBy(() -> CronSchedule.parse(expression, UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }

    @ParameterizedTest(name = "{0} after {1} → {2}")
    @CsvSource(delimiter = '|', value = {
            "0 2 * * *        | 2026-01-14T12:00:00Z | 2026-01-15T02:00:00Z",
            "0 2 * * *        | 2026-01-14T01:59:59Z | 2026-01-14T02:00:00Z",
            "0 2 * * *        | 2026-01-14T02:00:00Z | 2026-01-15T02:00:00Z",
            "*/15 * * * *     | 2026-01-14T12:07:30Z | 2026-01-14T12:15:00Z",
            "0 4 * * 0        | 2026-01-14T12:00:00Z | 2026-01-18T04:00:00Z",
            "0 22 * * 1-5     | 2026-01-16T23:00:00Z | 2026-01-19T22:00:00Z",
            "@monthly         | 2026-01-14T12:00:00Z | 2026-02-01T00:00:00Z",
            "@yearly          | 2026-01-14T12:00:00Z | 2027-01-01T00:00:00Z",
            "0 0 29 2 *       | 2026-01-14T12:00:00Z | 2028-02-29T00:00:00Z",
            "0 0 1 jan-mar ?  | 2026-03-02T00:00:00Z | 2027-01-01T00:00:00Z",
            "0 0 13 * 5       | 2026-01-14T12:00:00Z | 2026-01-16T00:00:00Z",
            "0 0 13 * *       | 2026-01-14T12:00:00Z | 2026-02-13T00:00:00Z",
            "0 0 * * MON-FRI/2 | 2026-01-14T12:00:00Z | 2026-01-16T00:00:00Z",
            "1/20 * * * *     | 2026-01-14T12:42:00Z | 2026-01-14T13:01:00Z" })
    void nextRunInUtc(String expression, String after, String expected) {
        assertThat(CronSchedule.parse(expression, UTC).next(Instant.parse(after))).contains(Instant.parse(expected));
    }

    @Test
    void nextRunFollowsTheTimeZoneAcrossDaylightSaving() {
        CronSchedule schedule = CronSchedule.parse("0 2 * * *", BERLIN);
        // Winter: 02:00 in Berlin is 01:00 UTC.
        assertThat(schedule.next(WEDNESDAY_NOON)).contains(Instant.parse("2026-01-15T01:00:00Z"));
        // Summer: 00:00 UTC.
        assertThat(schedule.next(Instant.parse("2026-07-01T12:00:00Z"))).contains(Instant.parse("2026-07-02T00:00:00Z"));
        // 29 March 2026 has no 02:00 in Berlin: that run is skipped, as by the CronJob controller.
        assertThat(schedule.next(Instant.parse("2026-03-28T12:00:00Z"))).contains(Instant.parse("2026-03-30T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "* * * * *        | PT1M",
            "*/15 * * * *     | PT15M",
            "0 * * * *        | PT1H",
            "0 2 * * *        | PT24H",
            "@daily           | PT24H",
            "0 0,6 * * *      | PT18H",
            "0 2 * * 1-5      | PT72H",
            "0 4 * * 0        | P7D",
            "@monthly         | P31D",
            "@yearly          | P366D",
            "0 0 29 2 *       | P1461D",
            "*/5 * * * 1-5    | PT48H5M" })
    void intervalIsTheLongestGapBetweenRuns(String expression, Duration expected) {
        assertThat(CronSchedule.parse(expression, UTC).interval(WEDNESDAY_NOON)).isEqualTo(expected);
    }

    @Test
    void intervalCountsTheLongDayOfDaylightSavingInTheTimeZone() {
        // In Berlin the night of 25 October 2026 has 25 hours.
        assertThat(CronSchedule.parse("0 2 * * *", BERLIN).interval(WEDNESDAY_NOON)).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void messagesNameWhatIsWrong() {
        assertThatThrownBy(() -> CronSchedule.parse("30-10 * * * *", UTC)).hasMessageContaining("'30-10'").hasMessageContaining("minute");
        assertThatThrownBy(() -> CronSchedule.parse("0 0 31 2 *", UTC)).hasMessageContaining("never fires");
        assertThatThrownBy(() -> CronSchedule.parse("0 2 * *", UTC)).hasMessageContaining("expected 5 fields").hasMessageContaining("found 4");
        assertThatThrownBy(() -> CronSchedule.parse("0 2 * * 7", UTC)).hasMessageContaining("day-of-week 7 is outside 0-6");
        assertThatThrownBy(() -> CronSchedule.parse("@every 1h", UTC)).hasMessageContaining("unknown macro");
    }

    @Test
    void theAdmissionPatternAgreesWithTheParser() {
        java.util.regex.Pattern cel = java.util.regex.Pattern.compile(
                dev.runway.operator.api.v1alpha1.BackupPolicySpec.CRON.replace("[[:space:]]", "\\s").replace("(?i:", "(?i:"));
        CronExamples.VALID.forEach(e -> assertThat(cel.matcher(e).matches()).as("admission accepts '%s'", e).isTrue());
        CronExamples.UNUSABLE.forEach(e -> assertThat(cel.matcher(e).matches()).as("admission accepts '%s'", e).isTrue());
        CronExamples.REJECTED.forEach(e -> assertThat(cel.matcher(e).matches()).as("admission rejects '%s'", e).isFalse());
        assertThatCode(() -> CronExamples.VALID.forEach(e -> CronSchedule.parse(e, UTC))).doesNotThrowAnyException();
    }
}
