package dev.runway.operator.cluster;

import static dev.runway.operator.testing.ClusterTestSupport.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.ApplicationStatus.Phase;
import dev.runway.operator.testing.ClusterTestSupport;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.TestNamespace;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The operator's own health and metrics endpoints, scraped over HTTP like a kubelet and Prometheus would. */
@QuarkusTest
@Tag(Tiers.CLUSTER)
class OperatorEndpointsTest {
    @TestHTTPResource("/q/health/ready")
    URL ready;

    @TestHTTPResource("/q/health/live")
    URL live;

    @TestHTTPResource("/q/metrics")
    URL metrics;

    static String get(URL url, int expectedStatus) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url.toString()).isEqualTo(expectedStatus);
        return response.body();
    }

    @Test
    void readinessReportsEveryControllerAndLivenessIsUp() throws Exception {
        String body = get(ready, 200);
        assertThat(body).contains("\"status\": \"UP\"").contains("application").contains("environment").contains("backuppolicy");
        assertThat(get(live, 200)).contains("\"status\": \"UP\"");
    }

    @Test
    void metricsCountReconcilesAndApplicationsByPhase() throws Exception {
        double healthyBefore = sample(get(metrics, 200), "runway_applications\\{phase=\"Healthy\"\\}");
        try (KubernetesClient client = LocalControlPlane.client(); TestNamespace ns = TestNamespace.create(client, "metrics")) {
            client.resource(ClusterTestSupport.applicationFromYaml(client, ns.name(), """
                    apiVersion: runway.dev/v1alpha1
                    kind: Application
                    metadata: {name: counted}
                    spec: {image: example.com/counted:1}
                    """)).create();
            waitFor(client, ns.name(), "counted", 90, a -> a.getStatus() != null && a.getStatus().phase == Phase.Healthy);
            String scrape = get(metrics, 200);
            assertThat(sample(scrape, "runway_applications\\{phase=\"Healthy\"\\}")).isGreaterThanOrEqualTo(healthyBefore + 1);
            assertThat(scrape).containsPattern("operator_sdk_reconciliations_started_total\\{[^}]*\\} [1-9]");
            assertThat(scrape).contains("operator_sdk_reconciliations_success_total");
        }
    }

    /** The value of the first series matching {@code series} in a Prometheus text scrape. */
    static double sample(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in the scrape", series).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
