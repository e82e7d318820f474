package dev.runway.operator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The children's informer store keeps Runway's own managedFields entry only, and shares equal field
 * sets between objects. The objects are in the shape the API server returns (three managers, as a
 * Deployment with an HPA has); that the operator still writes nothing at rest with these caches is
 * shown by the cluster tests' and the benchmark smoke's writes-at-rest checks.
 */
@Tag(Tiers.UNIT)
class OwnFieldsStoreTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    static Deployment deployment(String name, String envName) {
        return JSON.unmarshal("""
                {"apiVersion":"apps/v1","kind":"Deployment",
                 "metadata":{"name":"%1$s","namespace":"ns","resourceVersion":"7","managedFields":[
                  {"manager":"runway-operator","operation":"Apply","apiVersion":"apps/v1","time":"2026-12-05T01:00:00Z",
                   "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:labels":{"f:app.kubernetes.io/name":{}}},
                    "f:spec":{"f:selector":{},"f:template":{"f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},
                     "f:env":{"k:{\\"name\\":\\"%2$s\\"}":{".":{},"f:name":{},"f:value":{}}},"f:image":{},"f:name":{}}}}}}}},
                  {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1","time":"2026-12-05T01:00:01Z",
                   "fieldsType":"FieldsV1","subresource":"status","fieldsV1":{"f:status":{"f:availableReplicas":{},"f:replicas":{}}}},
                  {"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1","time":"2026-12-05T01:00:01Z",
                   "fieldsType":"FieldsV1","fieldsV1":{"f:metadata":{"f:annotations":{".":{},"f:deployment.kubernetes.io/revision":{}}}}}]},
                 "spec":{"selector":{"matchLabels":{"app":"%1$s"}},"template":{"spec":{"containers":[{"name":"app","image":"i"}]}}}}
                """.formatted(name, envName), Deployment.class);
    }

    @Test
    void onlyRunwaysEntryIsKept() {
        Deployment d = deployment("a", "A");
        new OwnFieldsStore<Deployment>().put("ns/a", d);
        assertThat(d.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager).containsExactly(Labels.MANAGER);
        ManagedFieldsEntry own = d.getMetadata().getManagedFields().get(0);
        assertThat(own.getOperation()).isEqualTo("Apply");
        assertThat(own.getTime()).as("WorkloadTrouble reads when Runway applied").isEqualTo("2026-12-05T01:00:00Z");
        assertThat(own.getFieldsV1().getAdditionalProperties()).containsOnlyKeys("f:metadata", "f:spec");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void equalFieldSetsAreOneReadOnlyInstanceAndOrderIsKept() {
        var store = new OwnFieldsStore<Deployment>();
        Deployment a = deployment("a", "A");
        Deployment b = deployment("b", "A");
        Deployment c = deployment("c", "C");
        store.put("ns/a", a);
        store.put("ns/b", b);
        store.put("ns/c", c);
        Map<String, Object> fa = fields(a);
        Map<String, Object> fb = fields(b);
        Map<String, Object> fc = fields(c);
        assertThat(fb).isSameAs(fa);
        assertThat(fc).isNotSameAs(fa);
        assertThat(OwnFieldsStore.intern(fields(deployment("d", "C")))).as("a later equal field set").isSameAs(fc);
        assertThat(fc.get("f:metadata")).as("the sub-tree c shares with a").isSameAs(fa.get("f:metadata"));
        Map<String, Object> container = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) fa
                .get("f:spec")).get("f:template")).get("f:spec")).get("f:containers")).get("k:{\"name\":\"app\"}");
        assertThat(container.keySet()).as("order kept: '.' first, as the API server sends it").containsExactly(".", "f:env", "f:image", "f:name");
        assertThat(container.get(".")).isSameAs(container.get("f:image")).isEqualTo(Map.of());
        assertThatThrownBy(() -> fa.put("f:status", Map.of())).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSameObjectPutAgainIsLeftAsItIs() {
        var store = new OwnFieldsStore<Deployment>();
        Deployment a = deployment("a", "A");
        store.put("ns/a", a);
        List<ManagedFieldsEntry> kept = a.getMetadata().getManagedFields();
        store.put("ns/a", a);
        assertThat(a.getMetadata().getManagedFields()).isSameAs(kept);
        assertThat(store.get("ns/a")).isSameAs(a);
    }

    @Test
    void anObjectWithoutManagedFieldsIsStoredUnchanged() {
        Deployment d = deployment("a", "A");
        d.getMetadata().setManagedFields(null);
        new OwnFieldsStore<Deployment>().put("ns/a", d);
        assertThat(d.getMetadata().getManagedFields()).isNull();
    }

    private static Map<String, Object> fields(Deployment d) {
        return d.getMetadata().getManagedFields().stream().filter(e -> Labels.MANAGER.equals(e.getManager())).findFirst().orElseThrow()
                .getFieldsV1().getAdditionalProperties();
    }
}
