package dev.runway.operator.common;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;

/**
 * The informer store of Runway's children: each object keeps, of its {@code metadata.managedFields},
 * only the entries of Runway's own field manager ({@link Labels#MANAGER}), and their field sets are
 * shared between objects that have the same ones.
 * <p>
 * Why: at 1,000 Applications the cached children were most of the live heap, and most of that was
 * managedFields, one field set (a tree of small maps) per field manager per object: Runway's, the
 * controller-manager's, the HPA's, Argo Rollouts'. What reads a cached child's managedFields reads
 * Runway's entry only: JOSDK's server-side-apply matcher (which fields Runway applied, to compare them
 * with the desired state) and {@code WorkloadTrouble} (when Runway last applied). Other managers'
 * entries are never read from the cache, and nothing writes a cached child back whole (Runway applies
 * its desired state), so dropping them here changes no request. Code that needs every manager
 * ({@link FieldManagerMigration}) lists the objects itself.
 * <p>
 * The kept field sets are interned bottom-up ({@link #intern}): every sub-tree equal to one already
 * cached is replaced by that one, read-only. Children of the same shape share nearly all of it (the
 * field names of a pod template are the same from one Application to the next; only the keys of
 * named list items, such as env variables, differ).
 * <p>
 * One store serves one informer: an informer's relist removes what it did not list, so informers must
 * not share a store. The dependents that use it therefore watch all namespaces with one informer
 * (their label selector limits them to Runway's objects; the operator's ClusterRole allows it).
 */
public class OwnFieldsStore<R extends HasMetadata> extends ReducingItemStore<R> {

    /** Canonical read-only field sets, held only while some cached object refers to them. */
    private static final Map<Map<String, Object>, WeakReference<Map<String, Object>>> CANONICAL = new WeakHashMap<>();
    private static final Map<String, Object> EMPTY = Map.of();

    public OwnFieldsStore() {
        super(OwnFieldsStore::keepOwnFields);
    }

    /** Drops other managers' managedFields entries from the object and interns Runway's field sets. */
    public static void keepOwnFields(HasMetadata obj) {
        if (obj.getMetadata() == null || obj.getMetadata().getManagedFields() == null) {
            return;
        }
        List<ManagedFieldsEntry> kept = new ArrayList<>(1);
        for (ManagedFieldsEntry entry : obj.getMetadata().getManagedFields()) {
            if (!Labels.MANAGER.equals(entry.getManager())) {
                continue;
            }
            FieldsV1 fields = entry.getFieldsV1();
            if (fields != null && fields.getAdditionalProperties() != null) {
                fields.setAdditionalProperties(intern(fields.getAdditionalProperties()));
            }
            kept.add(entry);
        }
        obj.getMetadata().setManagedFields(kept);
    }

    /**
     * The canonical read-only copy of a field set: its sub-maps interned first, then the map itself
     * looked up among the canonical ones (equal content, same instance). Field sets hold only maps,
     * whose leaves are empty maps; any other value is kept as it is.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> intern(Map<String, Object> fields) {
        if (fields.isEmpty()) {
            return EMPTY;
        }
        Map<String, Object> copy = new LinkedHashMap<>((int) (fields.size() / 0.75f) + 1);
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            Object value = e.getValue();
            copy.put(e.getKey(), value instanceof Map<?, ?> m ? intern((Map<String, Object>) m) : value);
        }
        Map<String, Object> frozen = Collections.unmodifiableMap(copy);
        synchronized (CANONICAL) {
            WeakReference<Map<String, Object>> ref = CANONICAL.get(frozen);
            Map<String, Object> existing = ref == null ? null : ref.get();
            if (existing != null) {
                return existing;
            }
            CANONICAL.put(frozen, new WeakReference<>(frozen));
            return frozen;
        }
    }
}
