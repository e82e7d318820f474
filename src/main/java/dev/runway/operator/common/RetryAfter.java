package dev.runway.operator.common;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;

/**
 * Makes the operator's client wait as long as the API server asks. After a 429 or 5xx answer
 * that carries {@code Retry-After}, the attempt completes only once that time has passed, so the
 * client's retry (Fabric8's exponential backoff, 100 ms at first) comes after it.
 * <p>
 * Fabric8 7.4 reads Retry-After but schedules the retry with its backoff interval regardless:
 * through a throttling proxy, retries came 100 and 200 ms after a {@code Retry-After: 2}
 * (process/ThrottlingIT). The wait is asynchronous: no thread is held while it lasts.
 */
final class RetryAfter implements Interceptor {
    static final String NAME = "runway-retry-after";
    /** An answer asking for longer is held to this: the reconcile's own retry takes over after it. */
    static final Duration LONGEST = Duration.ofSeconds(30);

    @Override
    public CompletableFuture<Boolean> afterFailure(BasicBuilder builder, HttpResponse<?> response, RequestTags tags) {
        int code = response.code();
        Optional<Duration> wait = code == 429 || code >= 500 ? delay(response.header("Retry-After")) : Optional.empty();
        return wait.filter(d -> !d.isZero() && !d.isNegative())
                .map(d -> CompletableFuture.supplyAsync(() -> false,
                        CompletableFuture.delayedExecutor(d.toMillis(), TimeUnit.MILLISECONDS)))
                .orElseGet(() -> CompletableFuture.completedFuture(false));
    }

    /** Retry-After as seconds or as an HTTP date, at most {@link #LONGEST}. */
    static Optional<Duration> delay(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return Optional.empty();
        }
        Duration delay;
        try {
            delay = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
        } catch (NumberFormatException notSeconds) {
            try {
                delay = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
        return Optional.of(delay.compareTo(LONGEST) > 0 ? LONGEST : delay);
    }
}
