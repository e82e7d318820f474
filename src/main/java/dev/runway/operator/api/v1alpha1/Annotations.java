package dev.runway.operator.api.v1alpha1;

/**
 * The annotation keys of Runway's API, declared once with it: the levers users set on Runway objects
 * (the operator removes each once acted on), and what Runway writes on the objects it makes.
 */
public final class Annotations {
    private Annotations() {
    }

    // --- levers a user sets
    /** On an Application: promote the candidate (approval for the promotion gate, or a BlueGreen preview). */
    public static final String PROMOTE = "runway.dev/promote";
    /** On a BlueGreen Application: abort the preview; the active version keeps serving. */
    public static final String ABORT = "runway.dev/abort";
    /** On an Application: roll its pods without changing the spec. */
    public static final String RESTART = "runway.dev/restart";
    /** On an Application: new values for every spec.generatedSecrets key. */
    public static final String ROTATE_SECRETS = "runway.dev/rotate-secrets";
    /**
     * On an Application: put the last healthy image back; the value says what happens to the data of a
     * revision that migrated ({@code image} or {@code image-and-data}, see docs/api.md "Rollback").
     */
    public static final String ROLLBACK = "runway.dev/rollback";
    /** On a BackupPolicy: take a backup now (the value becomes the backup's reason). */
    public static final String BACKUP_NOW = "runway.dev/backup-now";

    // --- written by Runway
    /** On pod templates: the keyed hash of the configuration the pods run with. */
    public static final String CONFIG_HASH = "runway.dev/config-hash";
    /** On pod templates: when runway.dev/restart last rolled the pods. */
    public static final String RESTARTED_AT = "runway.dev/restarted-at";
    /** On a generated Secret: when its values were last rotated. */
    public static final String ROTATED_AT = "runway.dev/rotated-at";
    /** On a generated Secret: the UID of the Application it was generated for. */
    public static final String GENERATED_FOR = "runway.dev/generated-for";
    /** On a generated Secret: Delete or Retain, from spec.generatedSecretsRetention. */
    public static final String RETENTION = "runway.dev/retention";
    /** On a backup PVC: it is kept when its BackupPolicy goes. */
    public static final String RETAINED = "runway.dev/retained";
    /** On backup Jobs: why the backup was taken. */
    public static final String BACKUP_REASON = "runway.dev/backup-reason";
    /** On a namespace an Environment created. */
    public static final String CREATED_BY_ENVIRONMENT = "runway.dev/created-by-environment";
    /** On an adopted namespace: its Pod Security labels before adoption, put back on release. */
    public static final String POD_SECURITY_BEFORE_ADOPTION = "runway.dev/pod-security-before-adoption";
}
