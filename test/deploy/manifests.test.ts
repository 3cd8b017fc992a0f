/**
 * The deployment files the project ships (docker-compose.yml, deploy/kubernetes/, the Dockerfile)
 * must pass pr-sentinel's own review: every built-in check, through the real engine, as files a
 * pull request adds, finds nothing. So that "nothing" cannot come from a file the policy check
 * silently skips, each manifest is also shown to be read by its domain and a weakened copy to be
 * reported. The YAML is read through src/core/yaml.ts, and the facts other parts rely on (queue
 * mode's env, Redis persistence and isolation, the shutdown deadline) are asserted on the data.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { builtinChecks } from "../../src/checks/index.js";
import { policyCheck } from "../../src/checks/policy/index.js";
import { dockerfileDomain } from "../../src/checks/policy/domains/dockerfile.js";
import { kubernetesDomain } from "../../src/checks/policy/domains/kubernetes.js";
import { configFromObject } from "../../src/core/config/load-config.js";
import { runScan } from "../../src/core/engine.js";
import type { Check, ScanResult } from "../../src/core/types.js";
import { parseYaml, parseYamlDocuments } from "../../src/core/yaml.js";
import { fileChange } from "../checks/dependencies/harness.js";

const ROOT = new URL("../../", import.meta.url);
const KUBERNETES_DIR = "deploy/kubernetes/";
const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");

const kubernetesFiles = readdirSync(new URL(KUBERNETES_DIR, ROOT))
  .filter((name) => /\.ya?ml$/.test(name))
  .sort()
  .map((name) => `${KUBERNETES_DIR}${name}`);
/** Everything under deploy/ (the README and the env template too), the Compose file and the Dockerfile. */
const shipped = [
  "docker-compose.yml",
  "Dockerfile",
  ...readdirSync(new URL("deploy/", ROOT), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(fileURLToPath(ROOT), join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort(),
];

type Obj = Record<string, unknown>;

async function scan(files: readonly { path: string; text: string }[], checks: readonly Check[] = builtinChecks): Promise<ScanResult> {
  const config = configFromObject({ fail_on: "info" }, "manifests.test", checks);
  return runScan({
    files: files.map((f) => fileChange(f.path, null, f.text)),
    checks,
    config,
    logger: pino({ level: "silent" }),
    offline: true,
  });
}

function objects(): Obj[] {
  return kubernetesFiles.flatMap((path) => parseYamlDocuments(read(path)).map((d) => d.value as Obj));
}

function object(kind: string, name: string): Obj {
  const found = objects().find((o) => o.kind === kind && (o.metadata as Obj | undefined)?.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in ${KUBERNETES_DIR}`);
  return found;
}

function podSpec(workload: Obj): Obj {
  return ((workload.spec as Obj).template as Obj).spec as Obj;
}

function envOf(container: Obj): Record<string, string | "(secret)"> {
  const env: Record<string, string | "(secret)"> = {};
  for (const entry of (container.env as Obj[] | undefined) ?? []) env[entry.name as string] = entry.valueFrom ? "(secret)" : (entry.value as string);
  return env;
}

describe("pr-sentinel's own review of the deployment files", () => {
  it("finds nothing in docker-compose.yml, deploy/ and the Dockerfile, with every check judging them", async () => {
    expect(kubernetesFiles.length).toBeGreaterThanOrEqual(7);
    expect(shipped).toEqual(expect.arrayContaining(["deploy/README.md", "deploy/compose.env.example", ...kubernetesFiles]));
    const result = await scan(shipped.map((path) => ({ path, text: read(path) })));
    expect(result.outcomes.map((o) => [o.checkId, o.status])).toEqual(builtinChecks.map((c) => [c.meta.id, "ok"]).sort());
    expect(result.findings.map((f) => `${f.path}:${f.startLine} ${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it("reads each manifest as Kubernetes and the Dockerfile as a Dockerfile (nothing passes by being skipped)", () => {
    for (const path of kubernetesFiles) expect(kubernetesDomain.matches(path, read(path)), path).toBe(true);
    expect(dockerfileDomain.matches("Dockerfile")).toBe(true);
    for (const path of kubernetesFiles) expect(() => kubernetesDomain.parse(read(path), path), path).not.toThrow();
  });

  it("reports a weakened copy of the manifests (the audits do look at them)", async () => {
    const weakened = read(`${KUBERNETES_DIR}worker.yaml`).replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true");
    expect(weakened).not.toBe(read(`${KUBERNETES_DIR}worker.yaml`));
    const secret = read(`${KUBERNETES_DIR}secret.example.yaml`).replace("WEBHOOK_SECRET: REPLACE_ME", "WEBHOOK_SECRET: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    const result = await scan(
      [
        { path: `${KUBERNETES_DIR}worker.yaml`, text: weakened },
        { path: `${KUBERNETES_DIR}secret.example.yaml`, text: secret },
      ],
      [policyCheck],
    );
    expect(result.findings.map((f) => f.ruleId).sort()).toEqual(["policy/privilege-escalation", "policy/secret-literal"]);
  });
});

describe("docker-compose.yml", () => {
  const compose = parseYaml(read("docker-compose.yml")).value as Obj;
  const services = compose.services as Record<string, Obj>;
  // YAML 1.2 keeps `<<` as a key; Compose merges it, and so does this.
  const merged = (service: Obj): Obj => ({ ...((service["<<"] as Obj | undefined) ?? {}), ...service });
  const environment = (service: Obj): Obj => merged(merged(service).environment as Obj);

  it("runs Redis with append-only persistence and a password, on a named volume, published nowhere", () => {
    const redis = merged(services.redis!);
    expect(redis.image).toMatch(/^redis:7(\.|$)/);
    const command = (redis.command as string[]).join(" ");
    expect(command).toContain("--appendonly yes");
    expect(command).toContain("--appendfsync everysec");
    expect(command).toContain('--requirepass "$$REDIS_PASSWORD"');
    expect(redis.ports).toBeUndefined();
    expect(redis.volumes).toEqual(["redis-data:/data"]);
    expect(Object.keys(compose.volumes as Obj)).toEqual(["redis-data"]);
    expect(JSON.stringify(redis.healthcheck)).toContain("redis-cli ping");
  });

  it("takes webhooks in 2 replicas and scans in 3 workers, after Redis is healthy", () => {
    const app = merged(services.app!);
    const worker = merged(services.worker!);
    expect(app.command).toEqual(["node", "dist/app/server.js"]);
    expect(worker.command).toEqual(["node", "dist/app/worker.js"]);
    expect(environment(services.app!).WORKER_CONCURRENCY).toBe("0");
    expect(environment(services.worker!).WORKER_CONCURRENCY).toBe("4");
    expect(app.deploy).toEqual({ replicas: 2 });
    expect(worker.deploy).toEqual({ replicas: 3 });
    for (const service of [app, worker]) expect(service.depends_on).toMatchObject({ redis: { condition: "service_healthy" } });
    expect(environment(services.app!).REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?[^}]*\}@redis:6379$/);
  });

  it("takes every secret from .env, and gives the workers no webhook secret", () => {
    for (const [name, value] of Object.entries(environment(services.app!))) {
      if (/APP_ID|PRIVATE_KEY|WEBHOOK_SECRET|REDIS/.test(name)) expect(value, name).toMatch(/\$\{[A-Z_]+:\?/);
    }
    expect(environment(services.worker!).WEBHOOK_SECRET).toBeUndefined();
  });

  it("hardens every service the same way", () => {
    for (const [name, service] of Object.entries(services)) {
      const s = merged(service);
      expect({ name, read_only: s.read_only, cap_drop: s.cap_drop, security_opt: s.security_opt, tmpfs: s.tmpfs, init: s.init, stop_grace_period: s.stop_grace_period }).toEqual({
        name,
        read_only: true,
        cap_drop: ["ALL"],
        security_opt: ["no-new-privileges:true"],
        tmpfs: ["/tmp:size=64m,mode=1777"],
        init: true,
        stop_grace_period: "40s",
      });
    }
  });
});

describe("deploy/kubernetes/", () => {
  const workloadNames = [
    ["Deployment", "pr-sentinel-web"],
    ["Deployment", "pr-sentinel-worker"],
    ["StatefulSet", "pr-sentinel-redis"],
  ] as const;

  it("parses, one namespace for everything", () => {
    for (const o of objects()) {
      if (o.kind === "Kustomization") {
        expect(o.namespace).toBe("pr-sentinel");
        continue;
      }
      const metadata = o.metadata as Obj;
      if (o.kind === "Namespace") expect(metadata.name).toBe("pr-sentinel");
      else expect(metadata.namespace, `${o.kind as string}/${metadata.name as string}`).toBe("pr-sentinel");
    }
  });

  it("gives every container resources, a hardened securityContext, no token, /tmp on an emptyDir and 40 s to stop", () => {
    const config = object("ConfigMap", "pr-sentinel-config").data as Obj;
    const grace = Number(config.SHUTDOWN_GRACE_SECONDS);
    for (const [kind, name] of workloadNames) {
      const spec = podSpec(object(kind, name));
      expect(spec.automountServiceAccountToken, name).toBe(false);
      expect(spec.terminationGracePeriodSeconds, name).toBe(40);
      expect(spec.terminationGracePeriodSeconds as number).toBeGreaterThan(grace);
      const tmpVolume = (spec.volumes as Obj[]).find((v) => v.name === "tmp");
      expect(tmpVolume?.emptyDir, name).toBeDefined();
      for (const container of spec.containers as Obj[]) {
        const resources = container.resources as Obj;
        expect(Object.keys(resources.requests as Obj).sort(), name).toEqual(["cpu", "memory"]);
        expect(Object.keys(resources.limits as Obj).sort(), name).toEqual(["cpu", "memory"]);
        expect(container.securityContext, name).toMatchObject({
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        expect((container.securityContext as Obj).runAsUser as number).toBeGreaterThan(0);
        expect(container.volumeMounts as Obj[]).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      }
    }
  });

  it("runs 2 web replicas (no scans) and 3 workers on Redis, with /healthz probes", () => {
    const web = podSpec(object("Deployment", "pr-sentinel-web"));
    const worker = podSpec(object("Deployment", "pr-sentinel-worker"));
    expect((object("Deployment", "pr-sentinel-web").spec as Obj).replicas).toBe(2);
    expect((object("Deployment", "pr-sentinel-worker").spec as Obj).replicas).toBe(3);
    const [webContainer] = web.containers as Obj[];
    const [workerContainer] = worker.containers as Obj[];
    expect(webContainer!.command).toEqual(["node", "dist/app/server.js"]);
    expect(workerContainer!.command).toEqual(["node", "dist/app/worker.js"]);
    expect(envOf(webContainer!)).toMatchObject({ WORKER_CONCURRENCY: "0", APP_ID: "(secret)", PRIVATE_KEY: "(secret)", WEBHOOK_SECRET: "(secret)", REDIS_PASSWORD: "(secret)" });
    expect(envOf(workerContainer!)).toMatchObject({ WORKER_CONCURRENCY: "4", APP_ID: "(secret)", PRIVATE_KEY: "(secret)", REDIS_PASSWORD: "(secret)" });
    expect(envOf(workerContainer!).WEBHOOK_SECRET).toBeUndefined();
    for (const container of [webContainer!, workerContainer!]) {
      expect(envOf(container).REDIS_URL).toBe("redis://:$(REDIS_PASSWORD)@pr-sentinel-redis:6379");
      expect(container.livenessProbe).toMatchObject({ httpGet: { path: "/healthz" } });
    }
    expect(webContainer!.readinessProbe).toMatchObject({ httpGet: { path: "/healthz" } });
    expect((object("Service", "pr-sentinel-web").spec as Obj).ports).toEqual([{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }]);
  });

  it("keeps Redis persistent, password-protected and reachable only from pr-sentinel's pods", () => {
    const redis = object("StatefulSet", "pr-sentinel-redis");
    expect((redis.spec as Obj).replicas).toBe(1);
    expect((redis.spec as Obj).volumeClaimTemplates).toHaveLength(1);
    const [container] = podSpec(redis).containers as Obj[];
    const args = (container!.args as string[]).join(" ");
    expect(args).toContain("--appendonly yes");
    expect(args).toContain("--requirepass $(REDIS_PASSWORD)");
    expect(args).toContain("--maxmemory-policy noeviction");
    expect(envOf(container!).REDIS_PASSWORD).toBe("(secret)");
    expect((object("Service", "pr-sentinel-redis").spec as Obj).type).toBe("ClusterIP");

    const policy = object("NetworkPolicy", "pr-sentinel-redis").spec as Obj;
    const redisLabels = ((redis.spec as Obj).selector as Obj).matchLabels;
    expect((policy.podSelector as Obj).matchLabels).toEqual(redisLabels);
    expect(policy.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "pr-sentinel" } } }], ports: [{ protocol: "TCP", port: 6379 }] }]);
    // The allowed label is pr-sentinel's pods', not Redis' own.
    expect((redisLabels as Obj)["app.kubernetes.io/name"]).not.toBe("pr-sentinel");
  });

  it("has disruption budgets for the web and worker Deployments", () => {
    expect((object("PodDisruptionBudget", "pr-sentinel-web").spec as Obj).minAvailable).toBe(1);
    expect((object("PodDisruptionBudget", "pr-sentinel-worker").spec as Obj).maxUnavailable).toBe(1);
  });

  it("applies everything with kustomize except the example Secret", () => {
    const kustomization = objects().find((o) => o.kind === "Kustomization");
    if (!kustomization) throw new Error(`no kustomization.yaml in ${KUBERNETES_DIR}`);
    const listed = (kustomization.resources as string[]).map((r) => `${KUBERNETES_DIR}${r}`).sort();
    expect(listed).toEqual(kubernetesFiles.filter((f) => !/secret\.example|kustomization/.test(f)));
  });

  it("keeps placeholders, not values, in the example Secret", () => {
    const secret = object("Secret", "pr-sentinel");
    expect(Object.values(secret.stringData as Obj).every((v) => v === "REPLACE_ME")).toBe(true);
  });
});
