package dev.runway.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;

/** Retry-After as the API server may send it (seconds, or an HTTP date), and what is not one. */
@Tag(Tiers.UNIT)
class RetryAfterTest {

    @Test
    void secondsAndHttpDatesAreDelaysHeldToTheLongest() {
        assertThat(RetryAfter.delay("2")).contains(Duration.ofSeconds(2));
        assertThat(RetryAfter.delay(" 0 ")).contains(Duration.ZERO);
        assertThat(RetryAfter.delay("3600")).contains(RetryAfter.LONGEST);
        String inTenSeconds = ZonedDateTime.now().plusSeconds(10).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RetryAfter.delay(inTenSeconds)).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10)));
    }

    @Test
    void anythingElseIsNoDelay() {
        assertThat(RetryAfter.delay(null)).isEmpty();
        assertThat(RetryAfter.delay("")).isEmpty();
        assertThat(RetryAfter.delay("soon")).isEmpty();
    }
}
