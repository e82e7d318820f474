package dev.runway.operator.monitoring;

import java.util.Map;

import dev.runway.operator.api.v1alpha1.Monitoring;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;

/**
 * The ServiceMonitor of an Application: scrapes the pods behind its active Service (selected by
 * instance and component, so the blue-green preview Service is not scraped twice).
 */
public final class ServiceMonitors {
    public static final String DEFAULT_PATH = "/metrics";
    /** Service port names: the app's own port, or a separate one when spec.monitoring.metricsPort differs. */
    public static final String HTTP_PORT = "http";
    public static final String METRICS_PORT = "metrics";

    private ServiceMonitors() {
    }

    /** Whether the metrics are served on a port of their own, which the Service then exposes as {@link #METRICS_PORT}. */
    public static boolean separatePort(Monitoring monitoring, int appPort) {
        return monitoring != null && monitoring.metricsPort != null && monitoring.metricsPort != appPort;
    }

    /**
     * @param labels          labels of the ServiceMonitor
     * @param serviceSelector labels that select exactly the app's active Service
     */
    public static ServiceMonitor build(String namespace, String name, Map<String, String> labels,
            Map<String, String> serviceSelector, Monitoring monitoring, int appPort) {
        return new ServiceMonitorBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                    .withNewSelector().withMatchLabels(serviceSelector).endSelector()
                    .withNewNamespaceSelector().withMatchNames(namespace).endNamespaceSelector()
                    .addNewEndpoint()
                        .withPort(separatePort(monitoring, appPort) ? METRICS_PORT : HTTP_PORT)
                        .withPath(monitoring.metricsPath != null ? monitoring.metricsPath : DEFAULT_PATH)
                    .endEndpoint()
                .endSpec()
                .build();
    }
}
