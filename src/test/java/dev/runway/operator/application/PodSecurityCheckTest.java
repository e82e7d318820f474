package dev.runway.operator.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.api.v1alpha1.ApplicationSpec;
import dev.runway.operator.api.v1alpha1.Environment;
import dev.runway.operator.api.v1alpha1.EnvironmentSpec;
import dev.runway.operator.api.v1alpha1.SecurityChoices;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Running as root is refused, naming both fields, exactly where the namespace enforces restricted. */
@Tag(Tiers.UNIT)
class PodSecurityCheckTest {

    @Test
    void rootUnderARestrictedEnvironmentIsRefusedNamingBothFields() {
        Optional<String> refusal = PodSecurityCheck.refusal(app(true), Optional.of(environment(EnvironmentSpec.Tier.Production, null)),
                Optional.empty());
        assertThat(refusal).get().asString()
                .contains("spec.securityContext.runAsRoot", "spec.isolation.podSecurity", "Environment shop", "enforces restricted",
                        "the tier's default");
    }

    @Test
    void rootWhereTheEnvironmentAllowsBaselineRuns() {
        assertThat(PodSecurityCheck.refusal(app(true), Optional.of(environment(EnvironmentSpec.Tier.Production,
                EnvironmentSpec.Isolation.PodSecurity.baseline)), Optional.empty())).isEmpty();
        assertThat(PodSecurityCheck.refusal(app(true), Optional.of(environment(EnvironmentSpec.Tier.Development, null)),
                Optional.empty())).as("Development's default level is baseline").isEmpty();
    }

    @Test
    void withoutAnEnvironmentTheNamespaceLabelDecides() {
        assertThat(PodSecurityCheck.refusal(app(true), Optional.empty(), Optional.of("restricted"))).get().asString()
                .contains("spec.securityContext.runAsRoot", "pod-security.kubernetes.io/enforce");
        assertThat(PodSecurityCheck.refusal(app(true), Optional.empty(), Optional.empty())).isEmpty();
    }

    @Test
    void nonRootIsNeverRefused() {
        assertThat(PodSecurityCheck.refusal(app(false), Optional.of(environment(EnvironmentSpec.Tier.Production, null)),
                Optional.of("restricted"))).isEmpty();
    }

    @Test
    void whatPodTemplateBringsInIsCheckedAgainstTheLevel() {
        Application app = app(false);
        app.getSpec().podTemplate = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                spec:
                  containers:
                    - {name: app, securityContext: {capabilities: {add: [NET_ADMIN]}}}
                    - {name: debug, image: b:1, securityContext: {allowPrivilegeEscalation: true}}
                  volumes: [{name: logs, hostPath: {path: /var/log}}]
                """, dev.runway.operator.api.v1alpha1.PodTemplateOverride.class);
        assertThat(PodSecurityCheck.refusal(app, Optional.of(environment(EnvironmentSpec.Tier.Production, null)), Optional.empty()))
                .get().asString().contains("spec.podTemplate.spec.containers[app].securityContext.capabilities.add: NET_ADMIN",
                        "spec.podTemplate.spec.containers[debug].securityContext.allowPrivilegeEscalation: true",
                        "spec.podTemplate.spec.volumes[logs].hostPath", "Environment shop enforces restricted", "spec.isolation.podSecurity");
        assertThat(PodSecurityCheck.refusal(app, Optional.empty(), Optional.of("baseline"))).get().asString()
                .as("baseline allows privilege escalation but not NET_ADMIN or hostPath")
                .contains("capabilities.add: NET_ADMIN", "volumes[logs].hostPath", "pod-security.kubernetes.io/enforce")
                .doesNotContain("allowPrivilegeEscalation");
        assertThat(PodSecurityCheck.refusal(app, Optional.empty(), Optional.of("privileged"))).isEmpty();
        assertThat(PodSecurityCheck.refusal(app, Optional.empty(), Optional.empty())).as("no level known: nothing to check").isEmpty();

        app.getSpec().podTemplate = io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                spec:
                  containers: [{name: app, securityContext: {readOnlyRootFilesystem: false, capabilities: {add: [NET_BIND_SERVICE]}}}]
                  volumes: [{name: token, projected: {sources: [{serviceAccountToken: {path: t}}]}}]
                """, dev.runway.operator.api.v1alpha1.PodTemplateOverride.class);
        assertThat(PodSecurityCheck.refusal(app, Optional.empty(), Optional.of("restricted"))).as("what restricted allows").isEmpty();
    }

    private static Application app(boolean root) {
        Application app = new Application();
        app.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
        app.setSpec(new ApplicationSpec());
        app.getSpec().image = "example.com/web:1";
        app.getSpec().securityContext = new SecurityChoices();
        app.getSpec().securityContext.runAsRoot = root;
        return app;
    }

    private static Environment environment(EnvironmentSpec.Tier tier, EnvironmentSpec.Isolation.PodSecurity level) {
        Environment env = new Environment();
        env.setMetadata(new ObjectMetaBuilder().withName("shop").build());
        env.setSpec(new EnvironmentSpec());
        env.getSpec().tier = tier;
        if (level != null) {
            env.getSpec().isolation = new EnvironmentSpec.Isolation();
            env.getSpec().isolation.podSecurity = level;
        }
        return env;
    }
}
