package dev.runway.operator.environment;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationStatus;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Evidence;
import dev.runway.operator.api.v1alpha1.ApplicationStatus.Revision;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec.Promotion;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.EvidenceSignatures;
import dev.runway.operator.common.Times;

/**
 * Promotion by evidence: with {@code spec.promotion.from} an Application may roll to an image only
 * after the Application of the same name in the {@code from} Environment ran that image healthy
 * for {@code minSoakMinutes}. Evidence is that Application's {@code status.evidence}, written and
 * signed by the operator ({@link EvidenceSignatures}; an entry that does not verify is ignored):
 * per image digest the pods ran, from when it served healthy to when it stopped. The newest digest
 * seen for the image counts: an image that soaked stays promotable after the source moved on, a
 * tag pushed again (a new digest under the same name) starts without evidence, and an image that
 * failed there after it soaked is refused.
 *
 * <p>Pure: everything it needs is passed in, including the time.
 */
public final class PromotionGate {
    /** How soon to look again when there is no evidence yet (nothing to count down to). */
    public static final Duration NO_EVIDENCE_RECHECK = Duration.ofSeconds(30);
    /** Added to the time left, so the recheck lands after the soak, not a moment before it. */
    static final Duration SLACK = Duration.ofSeconds(1);

    private PromotionGate() {
    }

    /**
     * Why spec.image may not roll out yet, and when to look again.
     *
     * @param message      what is missing, naming the environment, the image and the time left
     * @param recheckAfter when the answer may have changed by itself
     */
    public record Hold(String message, Duration recheckAfter) {
    }

    /**
     * @param target    the Application about to roll out {@code target.spec.image}
     * @param targetEnv the Environment whose namespace holds it
     * @param sourceEnv the Environment named by targetEnv's spec.promotion.from, if it exists
     * @param source    the Application of the same name in sourceEnv's namespace, if it exists
     * @param now       the current time
     * @param key       the operator's key, to verify the evidence's signatures
     * @return empty when the image may roll out
     */
    public static Optional<Hold> check(Application target, Environment targetEnv, Optional<Environment> sourceEnv,
            Optional<Application> source, Instant now, byte[] key) {
        Promotion promotion = targetEnv.getSpec() == null ? null : targetEnv.getSpec().promotion;
        if (promotion == null || promotion.from == null) {
            return Optional.empty();
        }
        String image = target.getSpec().image;
        if (alreadyAdmitted(target.getStatus(), image)) {
            return Optional.empty();
        }
        String from = promotion.from;
        Duration soak = Duration.ofMinutes(promotion.minSoakMinutes == null ? 0 : promotion.minSoakMinutes);
        String needs = soak.isZero() ? "it must run healthy there first" : "it must run healthy there for " + format(soak) + " first";
        if (sourceEnv.isEmpty()) {
            return hold("Environment " + from + " (spec.promotion.from of Environment " + targetEnv.getMetadata().getName()
                    + ") does not exist, so image " + image + " has no evidence; create it or fix spec.promotion.from", NO_EVIDENCE_RECHECK);
        }
        String sourceNamespace = Environments.namespaceOf(sourceEnv.get());
        if (!Environments.manages(sourceEnv.get(), sourceNamespace)) {
            return hold("Environment " + from + " does not manage namespace " + sourceNamespace + " (see its Ready condition), so what"
                    + " runs there is no evidence for image " + image, NO_EVIDENCE_RECHECK);
        }
        String appName = target.getMetadata().getName();
        if (source.isEmpty()) {
            return hold("image " + image + " has not run in " + from + ": there is no Application " + appName + " in namespace "
                    + sourceNamespace + "; " + needs, NO_EVIDENCE_RECHECK);
        }
        ApplicationStatus status = source.get().getStatus();
        List<Evidence> recorded = (status == null || status.evidence == null ? List.<Evidence>of() : status.evidence).stream()
                .filter(e -> image.equals(e.image)).toList();
        if (recorded.stream().anyMatch(e -> !EvidenceSignatures.valid(key, source.get(), e))) {
            // Not written by the operator: edited or copied by hand. None of it counts until the
            // operator rewrites it from the pods it sees.
            return hold("the evidence for image " + image + " in " + from + " does not verify (status.evidence of Application " + appName
                    + " in " + sourceNamespace + " was written by someone other than Runway); it counts once Runway has recorded it again",
                    NO_EVIDENCE_RECHECK);
        }
        List<Evidence> entries = recorded.stream()
                .sorted(java.util.Comparator.comparing((Evidence e) -> String.valueOf(e.healthyAt)).reversed())
                .toList();
        if (entries.isEmpty()) {
            List<Revision> history = status == null || status.history == null ? List.of() : status.history;
            Revision newest = history.isEmpty() ? null : history.get(0);
            String what = newest != null && image.equals(newest.image)
                    ? "image " + image + " is not healthy in " + from + " yet (" + (newest.outcome == null ? "no outcome" : newest.outcome) + ")"
                    : "image " + image + " has not run in " + from + (newest == null ? "" : " (it runs " + newest.image + ")");
            return hold(what + "; " + needs, NO_EVIDENCE_RECHECK);
        }
        Evidence newest = entries.get(0);
        if (Boolean.TRUE.equals(newest.failed)) {
            return hold("image " + image + " (digest " + newest.digest + ") failed in " + from + " at " + newest.retiredAt
                    + " after it ran healthy: it is no evidence; fix it there first", NO_EVIDENCE_RECHECK);
        }
        Duration ran = ran(newest, now);
        if (ran.compareTo(soak) >= 0) {
            return Optional.empty();
        }
        Optional<Evidence> soakedBefore = entries.stream().skip(1)
                .filter(e -> !Boolean.TRUE.equals(e.failed) && !java.util.Objects.equals(e.digest, newest.digest) && ran(e, now).compareTo(soak) >= 0)
                .findFirst();
        String repushed = soakedBefore.map(e -> "tag " + image + " was pushed again: " + from + " soaked digest " + e.digest
                + ", but since " + newest.healthyAt + " runs digest " + newest.digest + ", which is what this Environment would pull; "
                + "a digest's evidence does not carry over to another. ").orElse("");
        if (newest.retiredAt != null) {
            return hold(repushed + "image " + image + " (digest " + newest.digest + ") ran healthy in " + from + " for only " + formatDown(ran)
                    + " before it was replaced; needs " + format(soak) + ". Run it there again", NO_EVIDENCE_RECHECK);
        }
        Duration left = soak.minus(ran);
        return hold(repushed + "image " + image + " has run healthy in " + from + " for " + formatDown(ran) + "; needs " + format(soak)
                + " (" + formatUp(left) + " left)", left.plus(SLACK));
    }

    private static Duration ran(Evidence e, Instant now) {
        Instant from = Times.parse(e.healthyAt);
        Instant until = e.retiredAt == null ? now : Times.parse(e.retiredAt);
        if (from == null || until == null || until.isBefore(from)) {
            return Duration.ZERO;
        }
        return Duration.between(from, until);
    }

    /**
     * The image already started rolling out here (it heads this Application's history) or serves
     * here: the gate let it through, or it ran before the gate existed. Never pulled back midway.
     */
    private static boolean alreadyAdmitted(ApplicationStatus status, String image) {
        if (status == null) {
            return false;
        }
        if (image.equals(status.stableImage)) {
            return true;
        }
        return status.history != null && !status.history.isEmpty() && image.equals(status.history.get(0).image);
    }

    private static Optional<Hold> hold(String message, Duration recheck) {
        return Optional.of(new Hold(message, recheck));
    }

    /**
     * Whole minutes only: the message is part of the status, and a status that changed every
     * second would be written on every reconcile.
     */
    static String formatDown(Duration d) {
        return format(Duration.ofMinutes(d.toMinutes()));
    }

    static String formatUp(Duration d) {
        long minutes = d.toMinutes() + (d.toSecondsPart() > 0 || d.toNanosPart() > 0 ? 1 : 0);
        return format(Duration.ofMinutes(minutes));
    }

    static String format(Duration d) {
        long hours = d.toHours();
        long minutes = d.toMinutesPart();
        if (hours == 0) {
            return minutes + "m";
        }
        return minutes == 0 ? hours + "h" : hours + "h" + minutes + "m";
    }
}
