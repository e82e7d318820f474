package dev.runway.operator.common;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operator's own settings (runway.* properties; environment variables RUNWAY_* in the Helm chart). */
@ConfigMapping(prefix = "runway")
public interface RunwayConfig {

    /** Prometheus, for blue-green analysis. */
    Prometheus prometheus();

    interface Prometheus {
        /** Address Argo Rollouts' analysis queries, e.g. http://prometheus-operated.monitoring.svc:9090. */
        @WithDefault("http://prometheus-operated.monitoring.svc:9090")
        String address();
    }
}
