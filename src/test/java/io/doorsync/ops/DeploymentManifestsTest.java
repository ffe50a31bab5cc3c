package io.doorsync.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;

/**
 * deploy/k8s, checked offline: every resource the kustomization lists parses strictly into the Kubernetes
 * (fabric8) model of its kind — an unknown or misspelt field fails — and carries what operating doorsync needs.
 * The alert rules go through `promtool check rules` and their unit tests through `promtool test rules`
 * (prometheusrule.test.yaml; skipped without promtool unless DOORSYNC_REQUIRE_PROMTOOL).
 */
class DeploymentManifestsTest {

    static final Path K8S = Path.of("deploy", "k8s");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    static final Map<String, Class<?>> KINDS = Map.of("Deployment", Deployment.class, "Service", Service.class,
            "ConfigMap", ConfigMap.class, "ServiceAccount", ServiceAccount.class, "PodDisruptionBudget",
            PodDisruptionBudget.class, "NetworkPolicy", NetworkPolicy.class, "ServiceMonitor", ServiceMonitor.class,
            "PrometheusRule", PrometheusRule.class);

    @Test
    void everyResourceOfTheKustomizationParsesStrictly() throws Exception {
        JsonNode kustomization = YAML.readTree(K8S.resolve("kustomization.yaml").toFile());
        List<String> resources = new ArrayList<>();
        kustomization.get("resources").forEach(r -> resources.add(r.asText()));
        assertThat(resources).hasSize(KINDS.size());
        for (String file : resources) {
            Object resource = load(file);
            assertThat(unknownFields(resource, "", new IdentityHashMap<>())).as(file + ": fields Kubernetes does not know")
                    .isEmpty();
        }
        // The Secret template is not applied by kustomize, but it must be a valid Secret with no real value.
        String template = Files.readString(K8S.resolve("secret.template.yaml"));
        assertThat(YAML.readTree(template).get("kind").asText()).isEqualTo("Secret");
        assertThat(template).doesNotContainPattern("(?m)^\\s+[A-Z_]+: \"[^<\"]*(secret|password)[^>\"]*\"");
    }

    @Test
    void aMisspeltFieldIsCaught() throws Exception {
        Deployment typo = YAML.readValue("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
                + "spec:\n  replica: 2\n  template:\n    spec:\n      containers:\n        - name: x\n"
                + "          readinesProbe: {}\n", Deployment.class);
        assertThat(unknownFields(typo, "", new IdentityHashMap<>())).containsExactlyInAnyOrder(".Spec.replica",
                ".Spec.Template.Spec.Containers[0].readinesProbe");
    }

    @Test
    void theDeploymentRunsTwoHardenedReplicasWithProbesAndResources() throws Exception {
        Deployment deployment = load("deployment.yaml");
        var spec = deployment.getSpec();
        var pod = spec.getTemplate().getSpec();
        Container c = pod.getContainers().get(0);

        assertThat(spec.getReplicas()).isEqualTo(3);
        assertThat(spec.getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(c.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe()))
                .allSatisfy(p -> assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("management"));
        assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(c.getEnv()).as("the heap is set explicitly, below the memory limit").anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("JAVA_OPTS_APPEND");
            assertThat(e.getValue()).contains("-Xmx256m");
        });
        assertThat(c.getEnv()).as("the collector measured to plan 100,000 members in that heap").anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("GC_CONTAINER_OPTIONS");
            assertThat(e.getValue()).isEqualTo("-XX:+UseG1GC");
        });
        assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("660Mi");
        assertThat(c.getEnvFrom()).extracting(e -> e.getSecretRef() == null ? "configmap" : "secret")
                .containsExactlyInAnyOrder("configmap", "secret");

        Service service = load("service.yaml");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
                .containsExactlyInAnyOrder("http:8080", "management:9000");
        PodDisruptionBudget pdb = load("poddisruptionbudget.yaml");
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        NetworkPolicy policy = load("networkpolicy.yaml");
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getEgress()).flatExtracting(r -> r.getPorts()).extracting(p -> p.getPort().getIntVal())
                .containsExactlyInAnyOrder(53, 53, 5432, 443);
        // The login throttle counts per forwarded address: only the Ingress controller may reach the admin port,
        // and forwarded addresses are trusted from it alone (an empty list would trust any peer).
        assertThat(policy.getSpec().getIngress()).filteredOn(r -> r.getPorts().stream()
                .anyMatch(p -> p.getPort().getIntVal() == 8080)).singleElement()
                .satisfies(r -> assertThat(r.getFrom()).as("who reaches the admin port").isNotEmpty());
        ConfigMap config = load("configmap.yaml");
        assertThat(config.getData()).containsEntry("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true")
                .hasEntrySatisfying("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", v -> assertThat(v).isNotBlank());
        ServiceMonitor monitor = load("servicemonitor.yaml");
        assertThat(monitor.getSpec().getEndpoints()).singleElement()
                .satisfies(e -> assertThat(e.getPort() + e.getPath()).isEqualTo("management/q/metrics"));
    }

    @Test
    void theAlertsCoverWhatPagesAnOperatorAndPromtoolAcceptsThem() throws Exception {
        PrometheusRule rules = load("prometheusrule.yaml");
        List<String> alerts = rules.getSpec().getGroups().stream().flatMap(g -> g.getRules().stream())
                .map(r -> r.getAlert()).toList();
        assertThat(alerts).contains("DoorsyncNoSuccessfulSync", "DoorsyncDoorFlowDisconnected",
                "DoorsyncQuarantineGrowing", "DoorsyncRevocationGuardHolding", "DoorsyncTokenRefreshFailing");

        String promtool = System.getenv().getOrDefault("DOORSYNC_PROMTOOL", "/usr/bin/promtool");
        boolean installed = new File(promtool).canExecute();
        if (System.getenv("DOORSYNC_REQUIRE_PROMTOOL") != null) {
            assertThat(installed).as("promtool at " + promtool).isTrue();
        }
        Assumptions.assumeTrue(installed, "promtool is not installed (apt-get install prometheus)");
        Path dir = Files.createTempDirectory("doorsync-rules");
        Path file = dir.resolve("rules.yaml");
        Path tests = dir.resolve("prometheusrule.test.yaml");
        try {
            // promtool reads a plain rules file: the PrometheusRule's spec is exactly that.
            YAML.writeValue(file.toFile(), YAML.readTree(K8S.resolve("prometheusrule.yaml").toFile()).get("spec"));
            String verdict = promtool(promtool, dir, "check", "rules", file.toString());
            assertThat(verdict).contains("SUCCESS: " + alerts.size() + " rules found");

            // Each alert's unit tests: it fires when it should and stays silent when it should not.
            Files.copy(K8S.resolve("prometheusrule.test.yaml"), tests);
            String tested = promtool(promtool, dir, "test", "rules", tests.toString());
            assertThat(tested).contains("SUCCESS");
            String testFile = Files.readString(tests);
            assertThat(alerts).as("every alert has unit tests").allSatisfy(alert -> assertThat(testFile)
                    .contains("alertname: " + alert));
        } finally {
            Files.deleteIfExists(tests);
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    /** Runs promtool in {@code dir}; fails with its output unless it succeeds. */
    private static String promtool(String promtool, Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(promtool));
        command.addAll(List.of(args));
        Process run = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.waitFor()).as(output).isZero();
        return output;
    }

    @SuppressWarnings("unchecked")
    static <T> T load(String file) throws IOException {
        JsonNode tree = YAML.readTree(K8S.resolve(file).toFile());
        Class<?> type = KINDS.get(tree.get("kind").asText());
        assertThat(type).as(file + " has a kind this test knows").isNotNull();
        return (T) YAML.treeToValue(tree, type);
    }

    /**
     * fabric8's models keep fields they do not know in additionalProperties instead of failing; any found
     * there is a field Kubernetes would reject or ignore.
     */
    static List<String> unknownFields(Object node, String path, Map<Object, Boolean> seen) throws Exception {
        List<String> unknown = new ArrayList<>();
        if (node == null || seen.put(node, true) != null || node instanceof String || node instanceof Number
                || node instanceof Boolean || node.getClass().isEnum()) {
            return unknown;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]", seen));
            }
            return unknown;
        }
        if (node instanceof Map<?, ?> map) {
            for (var e : map.entrySet()) {
                unknown.addAll(unknownFields(e.getValue(), path + "." + e.getKey(), seen));
            }
            return unknown;
        }
        if (!node.getClass().getName().startsWith("io.fabric8")) {
            return unknown;
        }
        for (Method m : node.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
                continue;
            }
            Object value = m.invoke(node);
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    ((Set<?>) extra.keySet()).forEach(k -> unknown.add(path + "." + k));
                }
            } else {
                unknown.addAll(unknownFields(value, path + "." + m.getName().substring(3), seen));
            }
        }
        return unknown;
    }
}
