package dev.runway.operator.testing;

/** JUnit tags of the test tiers; `make test` runs all of them, -Drunway.test.groups picks some. */
public final class Tiers {
    /** Pure functions: desired state, parsing, golden files. No API server. */
    public static final String UNIT = "unit";
    /** The API server alone: CRD schemas, CEL rules, server-side apply. */
    public static final String APISERVER = "apiserver";
    /** The whole local control plane, with the operator running in the test JVM. */
    public static final String CLUSTER = "cluster";
    /** Real PostgreSQL and MariaDB servers on loopback, started by hack/databases.sh. */
    public static final String DATABASE = "database";
    /** Real containers on the local control plane's real node (kubelet, containerd, runc), from images built here. */
    public static final String NODE = "node";

    private Tiers() {
    }
}
