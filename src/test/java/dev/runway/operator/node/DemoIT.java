package dev.runway.operator.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.runway.operator.testing.KubernetesTest;
import dev.runway.operator.testing.LocalControlPlane;
import dev.runway.operator.testing.RealNode;
import dev.runway.operator.testing.Tiers;

/**
 * `make demo` is hack/demo.sh: this runs exactly its steps (with the jar this build packaged, so no
 * second Maven build) on the running control plane, so a broken demo fails the test command.
 */
@Tag(Tiers.NODE)
class DemoIT extends KubernetesTest {

    @Test
    void theDemoPromotesStagingToProductionOnRealPods() throws Exception {
        RealNode.requireReady(client);
        Path root = LocalControlPlane.repoRootForTests();
        Path output = Files.createTempFile("runway-demo", ".log");
        try {
            int exit = run(root, output, "hack/demo.sh", "--no-build");
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(exit).as("hack/demo.sh exit code; its output:%n%s", log).isZero();
            assertThat(log).contains("version: 1.0.0").contains("version: 1.1.0")
                    .contains("GREETING=hello from production").contains("demo done");
            // What it says it shows is there: production on 1.1.0, on real pods.
            assertThat(client.pods().inNamespace("demo-production").withLabel("app.kubernetes.io/name", "shop").list().getItems())
                    .isNotEmpty().allSatisfy(RealNode::assertRanHere);
        } finally {
            run(root, output, "hack/demo.sh", "clean");
            Files.deleteIfExists(output);
        }
    }

    private static int run(Path root, Path output, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        pb.environment().put("KUBECONFIG", LocalControlPlane.kubeconfig().toString());
        Process p = pb.start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
