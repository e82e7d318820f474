package dev.runway.operator.apiserver;

import static dev.runway.operator.apiserver.BadInputCatalogueTest.app;
import static dev.runway.operator.apiserver.BadInputCatalogueTest.applicationYaml;
import static dev.runway.operator.apiserver.BadInputCatalogueTest.names;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The Application's workload fields in the bad-input catalogue, by class: names Runway derives
 * from metadata.name, references to other objects (volumes, ServiceAccount, pull secrets,
 * PriorityClass), image references, quantities (extended resources, sizes), unbounded strings and
 * lists, and keys two fields could both set (ports, container names, volume names and paths).
 */
final class WorkloadCases {
    static final String LONG_4097 = "a".repeat(4097);

    private WorkloadCases() {
    }

    static List<AdmissionCase> application() {
        List<AdmissionCase> cases = new ArrayList<>(List.of(
                // names derived from metadata.name: the Service and <name>-preview are DNS-1035 labels of at most 63
                new AdmissionCase("name too long for the preview Service", applicationYaml("a".repeat(56), "image: a:1"), "metadata.name",
                        "must be a DNS-1035 label of at most 55 characters"),
                new AdmissionCase("name with a dot (no Service name)", applicationYaml("web.v2", "image: a:1"), "metadata.name",
                        "must be a DNS-1035 label of at most 55 characters"),
                new AdmissionCase("name starting with a digit", applicationYaml("1web", "image: a:1"), "metadata.name",
                        "must be a DNS-1035 label of at most 55 characters"),
                // workers
                app("worker with a port", "{image: a:1, worker: true, port: 8080}", "spec", "spec.worker: true serves no HTTP"),
                app("worker with an ingress", "{image: a:1, worker: true, ingress: {host: a.example.com}}", "spec",
                        "spec.worker: true serves no HTTP"),
                app("worker with blue-green", "{image: a:1, worker: true, strategy: {type: BlueGreen}}", "spec",
                        "spec.worker: true serves no HTTP"),
                // command and args: bounded lists of bounded strings
                app("65 command entries", "{image: a:1, command: " + names("c", 65) + "}", "spec.command", "must have at most 64 items"),
                app("command entry over 4096", "{image: a:1, command: [" + LONG_4097 + "]}", "spec.command",
                        "spec.command entries must be at most 4096"),
                app("65 args", "{image: a:1, args: " + names("a", 65) + "}", "spec.args", "must have at most 64 items"),
                app("arg over 4096", "{image: a:1, args: [" + LONG_4097 + "]}", "spec.args", "spec.args entries must be at most 4096"),
                // ports: keys two fields could both set
                app("21 extra ports", "{image: a:1, ports: [" + String.join(", ", IntStream.range(0, 21)
                        .mapToObj(i -> "{name: p" + i + ", containerPort: " + (9000 + i) + "}").toList()) + "]}", "spec.ports",
                        "must have at most 20 items"),
                app("extra port repeats spec.port", "{image: a:1, port: 3000, ports: [{name: admin, containerPort: 3000}]}", "spec",
                        "spec.ports must not repeat spec.port"),
                app("extra port repeats the default port", "{image: a:1, ports: [{name: admin, containerPort: 8080}]}", "spec",
                        "spec.ports must not repeat spec.port"),
                app("extra port repeats metricsPort", "{image: a:1, monitoring: {metricsPort: 9090}, ports: [{name: admin, containerPort: 9090}]}",
                        "spec", "spec.ports must not repeat spec.port"),
                app("duplicate port names", "{image: a:1, ports: [{name: admin, containerPort: 9000}, {name: admin, containerPort: 9001}]}",
                        "spec.ports", "spec.ports names must be unique"),
                app("duplicate port numbers", "{image: a:1, ports: [{name: a1, containerPort: 9000}, {name: a2, containerPort: 9000}]}",
                        "spec.ports", "spec.ports numbers must be unique per protocol"),
                app("port named http", "{image: a:1, ports: [{name: http, containerPort: 9000}]}", "spec.ports",
                        "names 'http' and 'metrics' are Runway's"),
                app("port without a name", "{image: a:1, ports: [{containerPort: 9000}]}", "spec.ports[0].name", "Required value"),
                app("port name longer than 15", "{image: a:1, ports: [{name: " + "a".repeat(16) + ", containerPort: 9000}]}",
                        "spec.ports[0].name", "may not be more than 15 bytes"),
                app("port name in capitals", "{image: a:1, ports: [{name: GRPC, containerPort: 9000}]}", "spec.ports[0].name",
                        "spec.ports[].name must be an IANA service name"),
                app("port without a number", "{image: a:1, ports: [{name: grpc}]}", "spec.ports[0].containerPort", "Required value"),
                app("port number above 65535", "{image: a:1, ports: [{name: grpc, containerPort: 70000}]}", "spec.ports[0].containerPort",
                        "should be less than or equal to 65535"),
                app("port protocol HTTP", "{image: a:1, ports: [{name: grpc, containerPort: 9000, protocol: HTTP}]}",
                        "spec.ports[0].protocol", "Unsupported value: \"HTTP\""),
                // security choices
                app("runAsUser 0 without runAsRoot", "{image: a:1, securityContext: {runAsUser: 0}}", "spec.securityContext",
                        "spec.securityContext.runAsUser 0 is root"),
                app("runAsGroup 0 without runAsRoot", "{image: a:1, securityContext: {runAsGroup: 0}}", "spec.securityContext",
                        "spec.securityContext.runAsGroup 0 is the root group"),
                app("negative runAsUser", "{image: a:1, securityContext: {runAsUser: -1}}", "spec.securityContext.runAsUser",
                        "should be greater than or equal to 0"),
                app("runAsGroup above 2^31-1", "{image: a:1, securityContext: {runAsGroup: 2147483648}}", "spec.securityContext.runAsGroup",
                        "should be less than or equal to"),
                app("negative fsGroup", "{image: a:1, securityContext: {fsGroup: -5}}", "spec.securityContext.fsGroup",
                        "should be greater than or equal to 0"),
                // volumes: references, quantities, keys two entries could both set
                app("21 volumes", "{image: a:1, volumes: [" + String.join(", ", IntStream.range(0, 21)
                        .mapToObj(i -> "{name: v" + i + ", mountPath: /v" + i + ", emptyDir: {}}").toList()) + "]}", "spec.volumes",
                        "must have at most 20 items"),
                app("duplicate volume names", "{image: a:1, volumes: [{name: data, mountPath: /a, emptyDir: {}}, {name: data, mountPath: /b, emptyDir: {}}]}",
                        "spec.volumes", "spec.volumes names must be unique"),
                app("duplicate mount paths", "{image: a:1, volumes: [{name: a, mountPath: /data, emptyDir: {}}, {name: b, mountPath: /data, emptyDir: {}}]}",
                        "spec.volumes", "spec.volumes mountPaths must be unique"),
                app("volume without a source", "{image: a:1, volumes: [{name: data, mountPath: /data}]}", "spec.volumes[0]",
                        "needs exactly one of emptyDir, configMap, secret, persistentVolumeClaim or claim"),
                app("volume with two sources", "{image: a:1, volumes: [{name: data, mountPath: /data, emptyDir: {}, secret: {name: s}}]}",
                        "spec.volumes[0]", "needs exactly one of emptyDir, configMap, secret, persistentVolumeClaim or claim"),
                app("volume without a name", "{image: a:1, volumes: [{mountPath: /data, emptyDir: {}}]}", "spec.volumes[0].name", "Required value"),
                app("volume name longer than 63", "{image: a:1, volumes: [{name: " + "a".repeat(64) + ", mountPath: /data, emptyDir: {}}]}",
                        "spec.volumes[0].name", "may not be more than 63 bytes"),
                app("volume name not a DNS label", "{image: a:1, volumes: [{name: My_Data, mountPath: /data, emptyDir: {}}]}",
                        "spec.volumes[0].name", "spec.volumes[].name must be a DNS label"),
                app("volume named tmp", "{image: a:1, volumes: [{name: tmp, mountPath: /data, emptyDir: {}}]}", "spec.volumes[0].name",
                        "'tmp' is Runway's writable /tmp"),
                app("volume without a mountPath", "{image: a:1, volumes: [{name: data, emptyDir: {}}]}", "spec.volumes[0].mountPath",
                        "Required value"),
                app("relative mountPath", "{image: a:1, volumes: [{name: data, mountPath: data, emptyDir: {}}]}", "spec.volumes[0].mountPath",
                        "spec.volumes[].mountPath must be an absolute path"),
                app("mountPath with ..", "{image: a:1, volumes: [{name: data, mountPath: /data/../etc, emptyDir: {}}]}",
                        "spec.volumes[0].mountPath", "spec.volumes[].mountPath must be an absolute path"),
                app("mountPath /tmp", "{image: a:1, volumes: [{name: data, mountPath: /tmp, emptyDir: {}}]}", "spec.volumes[0].mountPath",
                        "mountPath /tmp is Runway's writable emptyDir"),
                app("emptyDir medium Disk", "{image: a:1, volumes: [{name: data, mountPath: /data, emptyDir: {medium: Disk}}]}",
                        "spec.volumes[0].emptyDir.medium", "Unsupported value: \"Disk\""),
                app("emptyDir sizeLimit not a quantity", "{image: a:1, volumes: [{name: data, mountPath: /data, emptyDir: {sizeLimit: lots}}]}",
                        "spec.volumes[0].emptyDir.sizeLimit", "emptyDir.sizeLimit must be a positive quantity"),
                app("configMap without a name", "{image: a:1, volumes: [{name: c, mountPath: /c, configMap: {optional: true}}]}",
                        "spec.volumes[0].configMap.name", "Required value"),
                app("configMap name not an object name", "{image: a:1, volumes: [{name: c, mountPath: /c, configMap: {name: My_Config}}]}",
                        "spec.volumes[0].configMap.name", "configMap.name and secret.name must be object names"),
                app("secret without a name", "{image: a:1, volumes: [{name: c, mountPath: /c, secret: {}}]}", "spec.volumes[0].secret.name",
                        "Required value"),
                app("secret name not an object name", "{image: a:1, volumes: [{name: c, mountPath: /c, secret: {name: 'tls key'}}]}",
                        "spec.volumes[0].secret.name", "configMap.name and secret.name must be object names"),
                app("secret name longer than 253", "{image: a:1, volumes: [{name: c, mountPath: /c, secret: {name: " + "a".repeat(254) + "}}]}",
                        "spec.volumes[0].secret.name", "may not be more than 253 bytes"),
                app("PVC without claimName", "{image: a:1, volumes: [{name: c, mountPath: /c, persistentVolumeClaim: {}}]}",
                        "spec.volumes[0].persistentVolumeClaim.claimName", "Required value"),
                app("PVC claimName not an object name", "{image: a:1, volumes: [{name: c, mountPath: /c, persistentVolumeClaim: {claimName: 'my claim'}}]}",
                        "spec.volumes[0].persistentVolumeClaim.claimName", "claimName must be a PVC name"),
                app("claim without a size", "{image: a:1, volumes: [{name: c, mountPath: /c, claim: {storageClassName: fast}}]}",
                        "spec.volumes[0].claim.size", "Required value"),
                app("claim size zero", "{image: a:1, volumes: [{name: c, mountPath: /c, claim: {size: '0'}}]}",
                        "spec.volumes[0].claim.size", "spec.volumes[].claim.size must be a positive quantity"),
                app("claim with an empty storageClassName", "{image: a:1, volumes: [{name: c, mountPath: /c, claim: {size: 1Gi, storageClassName: ''}}]}",
                        "spec.volumes[0].claim.storageClassName", "should be at least 1 chars long"),
                app("claim with 4 access modes", "{image: a:1, volumes: [{name: c, mountPath: /c, claim: {size: 1Gi, accessModes: "
                        + "[ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod]}}]}", "spec.volumes[0].claim.accessModes",
                        "must have at most 3 items"),
                app("claim access mode unknown", "{image: a:1, volumes: [{name: c, mountPath: /c, claim: {size: 1Gi, accessModes: [ReadWriteSometimes]}}]}",
                        "spec.volumes[0].claim.accessModes[0]", "Unsupported value: \"ReadWriteSometimes\""),
                // init containers and sidecars together
                app("init container and sidecar of one name", "{image: a:1, initContainers: [{name: x, image: b:1}], sidecars: [{name: x, image: b:1}]}",
                        "spec", "spec.initContainers and spec.sidecars names must be unique across both"),
                app("two sidecars of one name", "{image: a:1, sidecars: [{name: x, image: b:1}, {name: x, image: c:1}]}",
                        "spec", "spec.sidecars names must be unique"),
                app("two init containers of one name", "{image: a:1, initContainers: [{name: x, image: b:1}, {name: x, image: c:1}]}",
                        "spec", "spec.initContainers names must be unique"),
                app("sidecar mounting an unknown volume", "{image: a:1, sidecars: [{name: s, image: b:1, volumeMounts: [{name: nope, mountPath: /x}]}]}",
                        "spec", "spec.sidecars[].volumeMounts[].name must name a volume in spec.volumes"),
                app("init container mounting an unknown volume", "{image: a:1, volumes: [{name: data, mountPath: /data, emptyDir: {}}], "
                        + "initContainers: [{name: s, image: b:1, volumeMounts: [{name: date, mountPath: /x}]}]}",
                        "spec", "spec.initContainers[].volumeMounts[].name must name a volume in spec.volumes"),
                // references to other objects
                app("serviceAccountName not an object name", "{image: a:1, serviceAccountName: My_SA}", "spec.serviceAccountName",
                        "spec.serviceAccountName must be a ServiceAccount name"),
                app("empty serviceAccountName", "{image: a:1, serviceAccountName: ''}", "spec.serviceAccountName", "should be at least 1 chars long"),
                app("imagePullSecrets entry not an object name", "{image: a:1, imagePullSecrets: [{name: My_Creds}]}",
                        "spec.imagePullSecrets[0].name", "spec.imagePullSecrets[].name must be a Secret name"),
                app("imagePullSecrets entry without a name", "{image: a:1, imagePullSecrets: [{}]}", "spec.imagePullSecrets[0].name",
                        "Required value"),
                app("imagePullSecrets name longer than 253", "{image: a:1, imagePullSecrets: [{name: " + "a".repeat(254) + "}]}",
                        "spec.imagePullSecrets[0].name", "may not be more than 253 bytes"),
                app("duplicate imagePullSecrets", "{image: a:1, imagePullSecrets: [{name: creds}, {name: creds}]}", "spec.imagePullSecrets",
                        "spec.imagePullSecrets names must be unique"),
                app("11 imagePullSecrets", "{image: a:1, imagePullSecrets: [" + String.join(", ", IntStream.range(0, 11)
                        .mapToObj(i -> "{name: s" + i + "}").toList()) + "]}", "spec.imagePullSecrets", "must have at most 10 items"),
                app("priorityClassName not an object name", "{image: a:1, priorityClassName: High_Priority}", "spec.priorityClassName",
                        "spec.priorityClassName must be a PriorityClass name"),
                app("priorityClassName longer than 253", "{image: a:1, priorityClassName: " + "a".repeat(254) + "}", "spec.priorityClassName",
                        "may not be more than 253 bytes"),
                // placement
                app("nodeSelector value longer than 63", "{image: a:1, nodeSelector: {zone: " + "a".repeat(64) + "}}", "spec.nodeSelector",
                        "spec.nodeSelector keys must be label keys"),
                app("21 tolerations", "{image: a:1, tolerations: [" + String.join(", ", IntStream.range(0, 21)
                        .mapToObj(i -> "{key: k" + i + ", operator: Exists}").toList()) + "]}", "spec.tolerations", "must have at most 20 items"),
                app("9 spread constraints", "{image: a:1, topologySpreadConstraints: [" + String.join(", ", IntStream.range(0, 9)
                        .mapToObj(i -> "{maxSkew: 1, topologyKey: k" + i + ", whenUnsatisfiable: ScheduleAnyway}").toList()) + "]}",
                        "spec.topologySpreadConstraints", "must have at most 8 items"),
                // extended resources: quantities and names
                app("extended resource without a domain", "{image: a:1, resources: {extended: {gpu: 1}}}", "spec.resources.extended",
                        "resources.extended keys must be extended resource names with a domain"),
                app("extended resource in kubernetes.io", "{image: a:1, resources: {extended: {kubernetes.io/gpu: 1}}}", "spec.resources.extended",
                        "resources.extended keys must be extended resource names with a domain"),
                app("zero GPUs", "{image: a:1, resources: {extended: {nvidia.com/gpu: 0}}}", "spec.resources.extended",
                        "resources.extended values must be whole positive numbers"),
                app("17 extended resources", "{image: a:1, resources: {extended: {" + String.join(", ", IntStream.range(0, 17)
                        .mapToObj(i -> "example.com/r" + i + ": 1").toList()) + "}}}", "spec.resources.extended", "must have at most 16 items")));
        for (String kind : List.of("initContainers", "sidecars")) {
            String field = "spec." + kind + "[0].";
            String spec = "{image: a:1, " + kind + ": [%s]}";
            cases.addAll(List.of(
                    app(kind + ": 6 containers", spec.formatted(String.join(", ", IntStream.range(0, 6)
                            .mapToObj(i -> "{name: c" + i + ", image: b:1}").toList())), "spec." + kind, "must have at most 5 items"),
                    app(kind + ": without a name", spec.formatted("{image: b:1}"), field + "name", "Required value"),
                    app(kind + ": name longer than 63", spec.formatted("{name: " + "a".repeat(64) + ", image: b:1}"), field + "name",
                            "may not be more than 63 bytes"),
                    app(kind + ": name not a DNS label", spec.formatted("{name: Log_Shipper, image: b:1}"), field + "name",
                            "initContainers[].name and sidecars[].name must be DNS labels"),
                    app(kind + ": named app", spec.formatted("{name: app, image: b:1}"), field + "name",
                            "initContainers[].name and sidecars[].name must not be 'app'"),
                    app(kind + ": without an image", spec.formatted("{name: c}"), field + "image", "Required value"),
                    app(kind + ": image with whitespace", spec.formatted("{name: c, image: 'b: 1'}"), field + "image",
                            "initContainers[].image and sidecars[].image must be image references without whitespace"),
                    app(kind + ": image longer than 512", spec.formatted("{name: c, image: " + "a".repeat(513) + "}"), field + "image",
                            "may not be more than 512 bytes"),
                    app(kind + ": 65 command entries", spec.formatted("{name: c, image: b:1, command: " + names("c", 65) + "}"),
                            field + "command", "must have at most 64 items"),
                    app(kind + ": command entry over 4096", spec.formatted("{name: c, image: b:1, command: [" + LONG_4097 + "]}"),
                            field + "command", "initContainers[].command and sidecars[].command entries must be at most 4096"),
                    app(kind + ": 65 args", spec.formatted("{name: c, image: b:1, args: " + names("a", 65) + "}"), field + "args",
                            "must have at most 64 items"),
                    app(kind + ": arg over 4096", spec.formatted("{name: c, image: b:1, args: [" + LONG_4097 + "]}"), field + "args",
                            "initContainers[].args and sidecars[].args entries must be at most 4096"),
                    app(kind + ": env key not a variable name", spec.formatted("{name: c, image: b:1, env: {'1BAD': x}}"), field + "env",
                            "initContainers[].env and sidecars[].env keys must be environment variable names"),
                    app(kind + ": request above limit", spec.formatted("{name: c, image: b:1, resources: {requests: {memory: 1Gi}, limits: {memory: 1Mi}}}"),
                            field + "resources", "requests.memory must not exceed resources.limits.memory"),
                    app(kind + ": CPU request above limit", spec.formatted("{name: c, image: b:1, resources: {requests: {cpu: '2'}, limits: {cpu: 1m}}}"),
                            field + "resources", "requests.cpu must not exceed resources.limits.cpu"),
                    app(kind + ": CPU request not a quantity", spec.formatted("{name: c, image: b:1, resources: {requests: {cpu: lots}}}"),
                            field + "resources.requests.cpu", "cpu must be a Kubernetes quantity"),
                    app(kind + ": memory request not a quantity", spec.formatted("{name: c, image: b:1, resources: {requests: {memory: lots}}}"),
                            field + "resources.requests.memory", "memory must be a Kubernetes quantity"),
                    app(kind + ": CPU limit not a quantity", spec.formatted("{name: c, image: b:1, resources: {limits: {cpu: lots}}}"),
                            field + "resources.limits.cpu", "cpu must be a Kubernetes quantity"),
                    app(kind + ": memory limit not a quantity", spec.formatted("{name: c, image: b:1, resources: {limits: {memory: lots}}}"),
                            field + "resources.limits.memory", "memory must be a Kubernetes quantity"),
                    app(kind + ": extended resource without a domain", spec.formatted("{name: c, image: b:1, resources: {extended: {gpu: 1}}}"),
                            field + "resources.extended", "resources.extended keys must be extended resource names with a domain"),
                    app(kind + ": zero of an extended resource", spec.formatted("{name: c, image: b:1, resources: {extended: {example.com/r: 0}}}"),
                            field + "resources.extended", "resources.extended values must be whole positive numbers"),
                    app(kind + ": 21 volume mounts", "{image: a:1, volumes: [{name: d, mountPath: /d, emptyDir: {}}], " + kind + ": [{name: c, image: b:1, volumeMounts: ["
                            + String.join(", ", IntStream.range(0, 21).mapToObj(i -> "{name: d, mountPath: /m" + i + "}").toList()) + "]}]}",
                            field + "volumeMounts", "must have at most 20 items"),
                    app(kind + ": mount without a name", spec.formatted("{name: c, image: b:1, volumeMounts: [{mountPath: /x}]}"),
                            field + "volumeMounts[0].name", "Required value"),
                    app(kind + ": mount name longer than 63", spec.formatted("{name: c, image: b:1, volumeMounts: [{name: " + "a".repeat(64) + ", mountPath: /x}]}"),
                            field + "volumeMounts[0].name", "may not be more than 63 bytes"),
                    app(kind + ": mount without a path", spec.formatted("{name: c, image: b:1, volumeMounts: [{name: tmp}]}"),
                            field + "volumeMounts[0].mountPath", "Required value"),
                    app(kind + ": relative mount path", spec.formatted("{name: c, image: b:1, volumeMounts: [{name: tmp, mountPath: xy}]}"),
                            field + "volumeMounts[0].mountPath", "volumeMounts[].mountPath must be an absolute path")));
        }
        return cases;
    }
}
