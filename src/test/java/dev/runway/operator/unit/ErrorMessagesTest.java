package dev.runway.operator.unit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.common.ErrorMessages;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/** What a 403 from the API server is blamed on in conditions and events. */
@Tag(Tiers.UNIT)
class ErrorMessagesTest {

    @Test
    void aForbiddenRequestPointsAtTheClusterRole() {
        Status status = new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("configmaps is forbidden: User \"system:serviceaccount:runway:runway\" cannot create resource \"configmaps\"").build();
        assertThat(ErrorMessages.describe(new KubernetesClientException(status)))
                .endsWith("(the operator lacks a permission: check its ClusterRole)");
    }

    @Test
    void aNamespaceBeingDeletedIsNotBlamedOnRbac() {
        Status status = new StatusBuilder().withCode(403).withReason("Forbidden")
                .withMessage("configmaps \"shop-env\" is forbidden: unable to create new content in namespace shop because it is being terminated")
                .withNewDetails().addNewCause().withReason("NamespaceTerminating").withField("metadata.namespace").endCause().endDetails()
                .build();
        assertThat(ErrorMessages.describe(new KubernetesClientException(status)))
                .endsWith("because it is being terminated (the namespace is being deleted)").doesNotContain("ClusterRole");
    }

    @Test
    void aChildWriteThatLostAConflictIsAConflictNotAFailure() {
        KubernetesClientException conflict = new KubernetesClientException(new StatusBuilder().withCode(409).withReason("Conflict")
                .withMessage("Apply failed with 1 conflict: conflict with \"rollouts-controller\" using v1: .spec.selector").build());
        KubernetesClientException forbidden = new KubernetesClientException(new StatusBuilder().withCode(403).withReason("Forbidden").build());
        assertThat(ErrorMessages.isConflict(new io.javaoperatorsdk.operator.AggregatedOperatorException("workflow",
                java.util.Map.of("service", conflict)))).isTrue();
        assertThat(ErrorMessages.isConflict(new io.javaoperatorsdk.operator.AggregatedOperatorException("workflow",
                java.util.Map.of("service", conflict, "configmap", forbidden)))).as("a real failure beside it").isFalse();
    }
}
