package dev.runway.operator.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.api.v1alpha1.Application;
import dev.runway.operator.common.Labels;
import dev.runway.operator.testing.GoldenFiles;
import dev.runway.operator.testing.Tiers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

/** spec.podTemplate: merged last, the same for both workload kinds, Runway's keys kept, replaced defaults listed. */
@Tag(Tiers.UNIT)
class PodTemplateOverridesTest {
    static Application app() {
        return GoldenFiles.read(GoldenFiles.ROOT.resolve("application/pod-template"), "in-Application.yaml", Application.class);
    }

    static ApplicationPlan plan(Application app) {
        return ApplicationPlanner.plan(app, Optional.empty(), java.util.Map.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                ApplicationDesiredStateTest.NOW, ApplicationDesiredStateTest.GOLDEN_HASH_KEY);
    }

    static Container container(PodTemplateSpec template, String name) {
        return template.getSpec().getContainers().stream().filter(c -> name.equals(c.getName())).findFirst().orElseThrow();
    }

    @Test
    void mergedLastByNameWithRunwaysKeysKept() {
        Application app = app();
        PodTemplateSpec template = DeploymentDependent.build(app, plan(app)).getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels()).containsEntry("team", "payments").containsEntry(Labels.NAME, "mesh")
                .containsEntry(Labels.INSTANCE, "mesh").containsEntry(Labels.MANAGED_BY, Labels.MANAGER);
        assertThat(template.getMetadata().getAnnotations()).containsEntry("example.com/scrape", "true")
                .containsKey(Labels.CONFIG_HASH_ANNOTATION);
        assertThat(template.getSpec().getContainers()).extracting(Container::getName).containsExactly("app", "proxy", "debug");
        Container main = container(template, "app");
        assertThat(main.getImage()).isEqualTo("registry.example.com/acme/mesh:1.0.0");
        assertThat(main.getSecurityContext().getReadOnlyRootFilesystem()).isFalse();
        assertThat(main.getSecurityContext().getRunAsNonRoot()).as("the rest of Runway's context stays").isTrue();
        assertThat(main.getReadinessProbe()).as("Runway's probes stay").isNotNull();
        assertThat(main.getEnv()).extracting(e -> e.getName()).containsExactly("POD_IP");
        assertThat(main.getEnvFrom()).as("Runway's envFrom stays").isNotEmpty();
        assertThat(main.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp", "/var/run/identity");
        assertThat(main.getLifecycle().getPreStop().getExec().getCommand()).containsExactly("/bin/sleep", "5");
        assertThat(container(template, "proxy").getArgs()).containsExactly("--upstream", "127.0.0.1:8080");
        assertThat(container(template, "proxy").getImage()).isEqualTo("registry.example.com/platform/proxy:2.1");
        assertThat(container(template, "debug").getImage()).isEqualTo("registry.example.com/platform/debug:1");
        assertThat(container(template, "debug").getSecurityContext()).as("an added container runs as restricted as the others")
                .isEqualTo(main.getSecurityContext().toBuilder().withReadOnlyRootFilesystem(true).build());
        assertThat(template.getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("tmp", "identity");
        assertThat(template.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(60L);
        assertThat(template.getSpec().getSecurityContext().getSupplementalGroups()).containsExactly(2000L);
        assertThat(template.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    @Test
    void theRolloutRunsTheSamePodTemplate() {
        Application app = app();
        ApplicationPlan plan = plan(app);
        var deployments = DeploymentDependent.build(app, plan).getSpec().getTemplate();
        assertThat(deployments.getSpec().getContainers()).anySatisfy(c -> assertThat(c.getResources()).isNull());
        // The same, but for the empty resources object every container of a Rollout carries (RolloutDependent.withResourcesObject).
        RolloutDependent.withResourcesObject(deployments);
        assertThat(RolloutDependent.build(app, plan).getSpec().getTemplate()).isEqualTo(deployments);
    }

    @Test
    void listsOnlyTheRunwayDefaultsItReplaced() {
        Application app = app();
        assertThat(DeploymentDependent.overrides(app, plan(app)))
                .containsExactly("spec.containers[app].securityContext.readOnlyRootFilesystem");
    }

    @Test
    void runwaysLabelsAnnotationsAndImageCannotBeReplacedEvenIfStored() {
        Application app = app();
        app.getSpec().podTemplate.metadata.labels.put(Labels.NAME, "other");
        app.getSpec().podTemplate.metadata.annotations.put(Labels.CONFIG_HASH_ANNOTATION, "0");
        app.getSpec().podTemplate.spec.containers.get(0).setImage("evil:1");
        PodTemplateSpec template = DeploymentDependent.build(app, plan(app)).getSpec().getTemplate();
        assertThat(template.getMetadata().getLabels()).containsEntry(Labels.NAME, "mesh");
        assertThat(template.getMetadata().getAnnotations().get(Labels.CONFIG_HASH_ANNOTATION)).isNotEqualTo("0");
        assertThat(container(template, "app").getImage()).isEqualTo("registry.example.com/acme/mesh:1.0.0");
    }
}
