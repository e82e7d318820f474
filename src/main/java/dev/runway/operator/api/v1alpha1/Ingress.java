package dev.runway.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Exposure through an Ingress. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Ingress {
    @Required
    @Size(max = 253)
    @ValidationRule(value = "self.matches('^(\\\\*\\\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.ingress.host must be a DNS name such as app.example.com")
    @JsonPropertyDescription("Host name, e.g. shop.example.com.")
    public String host;

    @Size(max = 1024)
    @ValidationRule(value = "self.startsWith('/')", message = "spec.ingress.path must start with '/'")
    @JsonPropertyDescription("Path prefix. Default /.")
    public String path;

    @Size(min = 1, max = 253)
    @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.ingress.className must be an IngressClass name (lower-case DNS subdomain)")
    @JsonPropertyDescription("IngressClass to use. Default: the cluster's default class.")
    public String className;

    @JsonPropertyDescription("TLS for the host.")
    public Tls tls;

    /** TLS by an existing Secret or a cert-manager ClusterIssuer. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.secretName) != has(self.clusterIssuer)", message = "spec.ingress.tls needs exactly one of secretName or clusterIssuer")
    public static class Tls {
        @Size(min = 1, max = 253)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.ingress.tls.secretName must be a Secret name (lower-case DNS subdomain)")
        @JsonPropertyDescription("Existing TLS Secret for the host.")
        public String secretName;

        @Size(min = 1, max = 253)
        @ValidationRule(value = "self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$')", message = "spec.ingress.tls.clusterIssuer must be a ClusterIssuer name (lower-case DNS subdomain)")
        @JsonPropertyDescription("cert-manager ClusterIssuer that issues the certificate (into <app>-tls).")
        public String clusterIssuer;
    }
}
