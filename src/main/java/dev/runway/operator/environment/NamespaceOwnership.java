package dev.runway.operator.environment;

import dev.runway.operator.api.v1alpha1.Annotations;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.common.Environments;
import dev.runway.operator.common.Labels;
import io.fabric8.kubernetes.api.model.Namespace;

/**
 * Whose namespace it is. Decided from the namespace itself (its label and annotation), never from
 * the Environment's status alone, so a lost status cannot turn an adopted namespace into one the
 * Environment believes it may delete.
 *
 * @param verdict what the reconcile may do with the namespace
 * @param created whether this Environment created it (only then can deletionPolicy Delete remove it)
 * @param message why, for conditions and events (null when there is nothing to say)
 */
public record NamespaceOwnership(Verdict verdict, boolean created, String message) {

    /** Set at creation to the Environment's uid: the proof that Runway made the namespace. */
    public static final String CREATED_BY_ANNOTATION = Annotations.CREATED_BY_ENVIRONMENT;

    public enum Verdict {
        /** It does not exist: create it. */
        CREATE,
        /** Created or adopted by this Environment before: keep it converged. */
        MANAGE,
        /** It exists, adoptExisting is set and no other Environment claims it: take it over. */
        ADOPT,
        /** It exists and adoptExisting is not set: write nothing to it. */
        REFUSE_EXISTS,
        /** Another existing Environment manages it. */
        REFUSE_CLAIMED,
        /** The Environment breaks a tenancy rule (protected namespace, system: subject): write nothing. */
        REFUSE_PROTECTED,
        /** Adopting (or re-leveling an adopted namespace) would lower the Pod Security it had before. */
        REFUSE_DOWNGRADE,
        /** It is being deleted: wait, then create it again. */
        TERMINATING;

        public boolean managed() {
            return this == CREATE || this == MANAGE || this == ADOPT;
        }
    }

    /**
     * @param environmentExists whether an Environment of the given name exists
     */
    static NamespaceOwnership decide(Environment env, Optional<Namespace> namespace, Predicate<String> environmentExists) {
        String name = Environments.namespaceOf(env);
        if (namespace.isEmpty()) {
            return new NamespaceOwnership(Verdict.CREATE, true, null);
        }
        Namespace ns = namespace.get();
        boolean createdByThis = createdBy(ns, env);
        if (ns.getMetadata().getDeletionTimestamp() != null) {
            return new NamespaceOwnership(Verdict.TERMINATING, createdByThis,
                    "namespace " + name + " is being deleted; Runway creates it again once it is gone");
        }
        if (createdByThis) {
            return new NamespaceOwnership(Verdict.MANAGE, true, null);
        }
        String claimedBy = label(ns, Labels.ENVIRONMENT);
        String self = env.getMetadata().getName();
        if (self.equals(claimedBy)) {
            return new NamespaceOwnership(Verdict.MANAGE, false, null);
        }
        if (claimedBy != null && environmentExists.test(claimedBy)) {
            return new NamespaceOwnership(Verdict.REFUSE_CLAIMED, false, "namespace " + name + " belongs to Environment "
                    + claimedBy + "; choose another spec.namespace or delete Environment " + claimedBy);
        }
        if (Boolean.TRUE.equals(env.getSpec().adoptExisting)) {
            return new NamespaceOwnership(Verdict.ADOPT, false, null);
        }
        return new NamespaceOwnership(Verdict.REFUSE_EXISTS, false, "namespace " + name
                + " already exists and Runway did not create it; nothing was written to it. Set spec.adoptExisting: true"
                + " to let this Environment manage it (it is then never deleted with the Environment), or choose another spec.namespace");
    }

    /** Whether {@code env} (this very object, by uid) created {@code ns}. */
    public static boolean createdBy(Namespace ns, Environment env) {
        String uid = env.getMetadata().getUid();
        return uid != null && uid.equals(annotation(ns, CREATED_BY_ANNOTATION));
    }

    /** Whether {@code ns} is managed by {@code env}: created by it or adopted (labelled with its name). */
    public static boolean managedBy(Namespace ns, Environment env) {
        return createdBy(ns, env) || env.getMetadata().getName().equals(label(ns, Labels.ENVIRONMENT));
    }

    private static String label(Namespace ns, String key) {
        Map<String, String> labels = ns.getMetadata().getLabels();
        return labels == null ? null : labels.get(key);
    }

    private static String annotation(Namespace ns, String key) {
        Map<String, String> annotations = ns.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(key);
    }
}
