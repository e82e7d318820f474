package dev.runway.operator.common;

import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer store that reduces each object in place as it takes it, so what the cache does not need
 * never waits in it ({@link SharedSecrets}: Secret values; {@link OwnFieldsStore}: other managers'
 * managedFields). An object put again as it is (the same instance) is not reduced twice. The object
 * the store keeps is the one the informer's handlers then receive.
 */
public class ReducingItemStore<T extends HasMetadata> extends BasicItemStore<T> {
    private final Consumer<? super T> reduce;

    public ReducingItemStore(Consumer<? super T> reduce) {
        super(Cache::metaNamespaceKeyFunc);
        this.reduce = reduce;
    }

    @Override
    public T put(String key, T obj) {
        if (get(key) != obj) {
            reduce.accept(obj);
        }
        return super.put(key, obj);
    }
}
