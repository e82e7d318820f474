package dev.runway.operator.common;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The operator's Kubernetes client: built as Quarkus builds its default one (its Config and
 * serialization), with {@link RetryAfter} added so throttled requests wait as the API server asks.
 */
@Singleton
public class KubernetesClientProducer {

    @Produces
    @Singleton
    KubernetesClient kubernetesClient(KubernetesSerialization serialization, Config config) {
        return new KubernetesClientBuilder().withKubernetesSerialization(serialization).withConfig(config)
                .withHttpClientBuilderConsumer(http -> http.addOrReplaceInterceptor(RetryAfter.NAME, new RetryAfter()))
                .build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
