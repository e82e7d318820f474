package dev.runway.operator.common;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;

/**
 * Which objects this operator deployment reconciles when several share the cluster, each owning a
 * shard (configuration {@code runway.shard}, env {@code RUNWAY_SHARD}; docs/configuration.md#sharding).
 * A named shard's Application, BackupPolicy, MigrationJob and Restore controllers watch only the
 * objects labelled {@code runway.dev/shard=<name>}; the default shard watches those without the label,
 * and alone reconciles Environments. Kubernetes does the partitioning: each controller's primary
 * informer lists and watches with the shard's label selector, and each shard elects its leader on a
 * Lease of its own. Children carry no shard label: they are mapped to their primary by owner
 * reference, and a child whose primary is not in this shard's cache wakes nothing.
 *
 * <p>Moving an object to another shard is relabelling it. The old shard's watch then reports the
 * object deleted, and JOSDK only forgets it (EventProcessor drops its state; the reconciler is not
 * called, and a Cleaner runs only for an object marked for deletion, which this one is not). The new
 * shard's watch reports it added and reconciles it, applying with the same field manager what is
 * already there. JOSDK's {@code triggerReconcilerOnAllEvents} must stay off for these controllers:
 * with it the reconciler would be handed the watch's delete.
 */
@ApplicationScoped
public class Shard {
    /** A DNS label short enough to suffix the Lease and the chart's Deployment names. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");
    /** Both requirements cannot hold at once: a named shard's Environment controller sees nothing. */
    static final String NOTHING = Labels.SHARD + ",!" + Labels.SHARD;

    private final Optional<String> name;

    @Inject
    public Shard(RunwayConfig config) {
        this(config.shard());
    }

    Shard(Optional<String> name) {
        this.name = name.map(String::strip).filter(n -> !n.isEmpty());
        this.name.ifPresent(n -> {
            if (!NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("runway.shard '" + n
                        + "' is not a shard name: lowercase letters, digits and '-', at most 40 characters, starting and ending alphanumeric");
            }
        });
    }

    /** The shard's name; empty for the default shard. */
    public Optional<String> name() {
        return name;
    }

    public boolean isDefault() {
        return name.isEmpty();
    }

    /** The label selector of the sharded kinds' primary informers. */
    public String selector() {
        return name.map(n -> Labels.SHARD + "=" + n).orElse("!" + Labels.SHARD);
    }

    /** Limits a sharded kind's controller (Application, BackupPolicy, MigrationJob, Restore) to this shard. */
    public <P extends HasMetadata> void select(ControllerConfigurationOverrider<P> controller) {
        controller.withLabelSelector(selector());
    }

    /**
     * Environments are not sharded: the default shard reconciles all of them, whatever their labels,
     * and a named shard none (its Environment controller's informer selects nothing, so its Cleaner
     * never runs and it adds no finalizer).
     */
    public <P extends HasMetadata> void selectEnvironments(ControllerConfigurationOverrider<P> controller) {
        name.ifPresent(n -> controller.withLabelSelector(NOTHING));
    }

    /** The Lease this shard's replicas elect their leader on: {@code base}, suffixed by a named shard's name. */
    public String leaseName(String base) {
        return name.map(n -> base + "-" + n).orElse(base);
    }
}
