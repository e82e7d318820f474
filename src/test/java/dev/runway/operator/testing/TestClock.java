package dev.runway.operator.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.inject.Singleton;

/**
 * The operator's clock in {@code @QuarkusTest}s: the system clock plus an offset a test can move,
 * so time-driven behaviour (stale backups, deadlines) is tested without waiting days. It replaces
 * the {@code @DefaultBean} of ClockProducer. Tests that move it put it back ({@link #reset()}).
 */
@Singleton
public class TestClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    /** From now on the operator's time is the real time plus {@code offset}. */
    public void setOffset(Duration offset) {
        this.offset = offset;
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(Clock.system(zone), offset);
    }
}
