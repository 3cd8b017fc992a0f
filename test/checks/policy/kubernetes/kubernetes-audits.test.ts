/**
 * The Kubernetes audits beyond their samples: what makes each finding itself (keys that survive
 * reformatting), severities that depend on the path or capability, settings that override one
 * another, and secrets that must never be echoed.
 */
import { describe, expect, it } from "vitest";
import { kubernetesAudits } from "../../../../src/checks/policy/audits/kubernetes/index.js";
import { parseKubernetes } from "../../../../src/checks/policy/domains/kubernetes.js";
import { policyCheck } from "../../../../src/checks/policy/index.js";
import { policyOptionsSchema } from "../../../../src/checks/policy/options.js";
import { linesReported } from "../../../helpers/rule-tester.js";
import { reportsOf } from "../audit-harness.js";

const options = policyOptionsSchema.parse({});

const audit = (text: string, only?: string) => reportsOf(kubernetesAudits, parseKubernetes(text, "deploy/app.yaml"), options, only);

const pod = (spec: string, name = "p") => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n${spec.replace(/^/gm, "  ")}\n`;

describe("finding keys", () => {
  it("name the object, the container and the field, not the line", () => {
    const text = pod("containers:\n  - name: app\n    image: app:1\n    securityContext:\n      privileged: true");
    expect(audit(text, "privileged-container").map((f) => f.key)).toEqual(["Pod/p/app/securityContext.privileged"]);
    const reformatted = `# moved down by a comment\n${text.replace("securityContext:\n        privileged: true", "securityContext: {privileged: true}")}`;
    const moved = audit(reformatted, "privileged-container");
    expect(moved.map((f) => f.key)).toEqual(["Pod/p/app/securityContext.privileged"]);
    expect(moved[0]!.line).toBe(10);
  });

  it("make a moved finding old and a new container's finding new (through the policy check)", async () => {
    const base = pod("containers:\n  - name: app\n    image: app:1\n    securityContext: {privileged: true}");
    const moved = `# header\n${base}`;
    expect((await linesReported(policyCheck, "privileged-container", { path: "deploy/app.yaml", base, text: moved })).lines).toEqual([]);
    const added = base.replace("  containers:\n", "  containers:\n    - name: sidecar\n      image: sidecar:1\n      securityContext: {privileged: true}\n");
    expect((await linesReported(policyCheck, "privileged-container", { path: "deploy/app.yaml", base, text: added })).lines).toEqual([9]);
  });
});

describe("runs-as-root", () => {
  it("lets a container's own settings override the pod's", () => {
    const text = pod(`securityContext:
  runAsNonRoot: true
containers:
  - name: inherits
    image: app:1
  - name: overrides
    image: app:1
    securityContext:
      runAsNonRoot: false`);
    expect(audit(text, "runs-as-root").map((f) => [f.line, f.severity, f.key])).toEqual([[14, "medium", "Pod/p/overrides/securityContext.runAsNonRoot"]]);
  });

  it("reports a pod-level runAsUser: 0 once, however many containers inherit it", () => {
    const text = pod(`securityContext:
  runAsUser: 0
containers:
  - {name: a, image: a:1}
  - {name: b, image: b:1}
initContainers:
  - {name: c, image: c:1}`);
    expect(audit(text, "runs-as-root").map((f) => [f.line, f.severity])).toEqual([[7, "high"]]);
  });

  it("does not report runAsUser: 0 beside runAsNonRoot: true (the kubelet refuses to start it)", () => {
    const text = pod("securityContext:\n  runAsNonRoot: true\ncontainers:\n  - name: a\n    image: a:1\n    securityContext: {runAsUser: 0}");
    expect(audit(text, "runs-as-root")).toEqual([]);
  });

  it("reports nothing set at low severity and low confidence, once, on the containers: line", () => {
    const text = pod("containers:\n  - {name: a, image: a:1}\n  - {name: b, image: b:1}\ninitContainers:\n  - {name: c, image: c:1}");
    expect(audit(text, "runs-as-root").map((f) => [f.line, f.severity, f.confidence, f.key])).toEqual([[6, "low", "low", "Pod/p/(pod)/runAsNonRoot"]]);
  });

  it("does not ask for runAsNonRoot on Windows pods or distroless nonroot images", () => {
    expect(audit(pod("os: {name: windows}\ncontainers:\n  - {name: a, image: a:1}"), "runs-as-root")).toEqual([]);
    expect(audit(pod("securityContext:\n  windowsOptions: {runAsUserName: ContainerUser}\ncontainers:\n  - {name: a, image: a:1}"), "runs-as-root")).toEqual([]);
    expect(audit(pod("containers:\n  - {name: a, image: 'gcr.io/distroless/static-debian12:nonroot'}"), "runs-as-root")).toEqual([]);
  });
});

describe("host-path-volume", () => {
  const withVolume = (volume: string, readOnly: boolean | undefined) =>
    pod(`containers:
  - name: app
    image: app:1
    volumeMounts:
      - name: host
        mountPath: /host${readOnly === undefined ? "" : `\n        readOnly: ${readOnly}`}
volumes:
  - name: host
    hostPath:
      path: ${volume}`);
  const severity = (path: string, readOnly?: boolean) => audit(withVolume(path, readOnly), "host-path-volume").map((f) => f.severity);

  it("grades the path", () => {
    expect(severity("/")).toEqual(["critical"]);
    expect(severity("/var/run/docker.sock")).toEqual(["critical"]);
    expect(severity("/run/containerd/containerd.sock")).toEqual(["critical"]);
    expect(severity("/var/run")).toEqual(["critical"]);
    expect(severity("//var/run/docker.sock/")).toEqual(["critical"]);
    expect(severity("/proc")).toEqual(["high"]);
    expect(severity("/sys/fs/cgroup")).toEqual(["high"]);
    expect(severity("/etc")).toEqual(["high"]);
    expect(severity("/etc/kubernetes/pki")).toEqual(["high"]);
    expect(severity("/var/lib/kubelet")).toEqual(["high"]);
    expect(severity("/var/log")).toEqual(["medium"]);
    expect(severity("/etc/localtime")).toEqual(["medium"]);
    expect(severity("/dev/log")).toEqual(["medium"]);
  });

  it("lowers read-only mounts one step, except sockets", () => {
    expect(severity("/", true)).toEqual(["high"]);
    expect(severity("/proc", true)).toEqual(["medium"]);
    expect(severity("/var/log", true)).toEqual(["low"]);
    expect(severity("/var/run/docker.sock", true)).toEqual(["critical"]);
    // Written `readOnly: false`, or mounted writable by one container of two, it is not lowered.
    expect(severity("/proc", false)).toEqual(["high"]);
  });

  it("reports on the hostPath: line, keyed by volume and path", () => {
    const [finding] = audit(withVolume("/var/run/docker.sock", undefined), "host-path-volume");
    expect(finding).toMatchObject({ line: 14, key: "Pod/p/(pod)/volumes.host.hostPath:/var/run/docker.sock" });
    expect(finding!.message).toContain("/var/run/docker.sock");
  });
});

describe("dangerous-capabilities", () => {
  const caps = (add: string) => audit(pod(`containers:\n  - name: a\n    image: a:1\n    securityContext:\n      capabilities:\n        add: ${add}`), "dangerous-capabilities");

  it("compares names as the runtime does", () => {
    expect(caps("[SYS_ADMIN, cap_sys_admin, Cap_Sys_Admin, ' sys_admin ']").map((f) => f.key)).toEqual(Array(4).fill("Pod/p/a/capabilities.add:SYS_ADMIN"));
  });

  it("grades NET_RAW and SYS_TIME medium, ignores narrow capabilities", () => {
    expect(caps("[NET_RAW, SYS_TIME, ALL]").map((f) => f.severity)).toEqual(["medium", "medium", "high"]);
    expect(caps("[NET_BIND_SERVICE, CHOWN, IPC_LOCK, SYS_RESOURCE]")).toEqual([]);
    expect(caps("NET_ADMIN")).toEqual([]);
  });
});

describe("privilege and namespaces", () => {
  it("reports allowPrivilegeEscalation only when explicitly true, and not beside privileged", () => {
    const text = pod(`containers:
  - {name: a, image: a:1, securityContext: {allowPrivilegeEscalation: true}}
  - {name: b, image: b:1, securityContext: {allowPrivilegeEscalation: true, privileged: true}}
  - {name: c, image: c:1}`);
    expect(audit(text, "privilege-escalation").map((f) => f.key)).toEqual(["Pod/p/a/securityContext.allowPrivilegeEscalation"]);
    expect(audit(text, "privileged-container").map((f) => f.key)).toEqual(["Pod/p/b/securityContext.privileged"]);
  });

  it("reads YAML 1.1 booleans as Kubernetes does, and ignores strings that are not booleans", () => {
    expect(audit(pod("hostNetwork: on\nhostPID: 'no'\ncontainers: [{name: a, image: a:1}]"), "host-namespaces").map((f) => f.line)).toEqual([6]);
    expect(audit(pod("hostNetwork: maybe\ncontainers: [{name: a, image: a:1}]"), "host-namespaces")).toEqual([]);
  });

  it("ignores fields outside a pod spec (a ConfigMap's data, a Deployment's metadata)", () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
  annotations:
    hostNetwork: "true"
spec:
  hostNetwork: true
  template:
    spec:
      containers: [{name: a, image: a:1, securityContext: {runAsNonRoot: true}}]
`;
    expect(audit(text)).toEqual([]);
  });
});

describe("secret-literal", () => {
  const secret = (body: string, kind = "Secret") => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: s\n${body}\n`;

  it("never echoes the value, decoded or not", () => {
    const findings = audit(secret("data:\n  password: UzNjcjN0LVBhc3N3MHJkITIwMjQ=\nstringData:\n  token: tok-9f2c4e7a1b8d3f6e0a5c2b9d7e4f1a3c"), "secret-literal");
    expect(findings.map((f) => [f.line, f.key])).toEqual([
      [6, "Secret/s/data.password"],
      [8, "Secret/s/stringData.token"],
    ]);
    for (const f of findings) {
      expect(f.message).not.toContain("UzNjcjN0LVBhc3N3MHJkITIwMjQ=");
      expect(f.message).not.toContain("S3cr3t-Passw0rd!2024");
      expect(f.message).not.toContain("9f2c4e7a1b8d3f6e0a5c2b9d7e4f1a3c");
    }
  });

  it("skips placeholders, references, encrypted values and public parts", () => {
    const body = `stringData:
  a: "\${DB_PASSWORD}"
  b: $(API_TOKEN)
  c: "{{ .Values.password }}"
  d: <path:secret/data/app#password>
  e: changeme
  f: REPLACE_ME
  g: "********"
  h: ENC[AES256_GCM,data:abc=,type:str]
  i: your-api-key-here
  j: ""
  k: test-password
  n: "**access token goes here**"
  o: the secret password
  ClientSecret: my-service-principal-client-secret
  foo_bar: HELLO1
  username: admin
  db-host: postgres.default.svc
  port: "5432"
  enabled: "true"
  url: https://charts.example.com/stable
  repo: git@github.com:acme/deploy.git
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    MIIBhTCCASugAwIBAgIQIRi6zePL6mKjOipn
    -----END CERTIFICATE-----
  sshPrivateKey: |
    -----BEGIN OPENSSH PRIVATE KEY-----
    ...
    -----END OPENSSH PRIVATE KEY-----
data:
  l: Y2hhbmdlbWU=
  m: not base64, the API server would refuse it`;
    expect(audit(secret(body), "secret-literal")).toEqual([]);
  });

  it("reports a URL that carries its password, a private key, and a hash at medium", () => {
    const body = `stringData:
  url: postgres://app:Xk29vLq7@db.internal:5432/app
  tls.key: |
    -----BEGIN PRIVATE KEY-----
    MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7
    -----END PRIVATE KEY-----
  admin.password: $2a$10$RncPyHW/B5ll2Z3J8s.IBOnbZ9uoJ4JhHLKzj5lzG/kU1KN1Oj3/K`;
    expect(audit(secret(body), "secret-literal").map((f) => [f.line, f.severity])).toEqual([
      [6, "high"],
      [7, "high"],
      [11, "medium"],
    ]);
  });

  it("judges a config file in a Secret by the credentials it sets", () => {
    const clean = `stringData:
  grafana.ini: |
    [server]
    root_url = https://grafana.example.com
    [security]
    admin_password = $__env{GF_ADMIN_PASSWORD}
  datasources.yaml: |
    datasources:
      - name: prometheus
        url: http://prometheus:9090
        basicAuthPassword: \${PROM_PASSWORD}`;
    expect(audit(secret(clean), "secret-literal")).toEqual([]);
    const leaky = `stringData:
  config.json: |
    {
      "endpoint": "https://api.example.com",
      "client_secret": "q8Zr2LmX7vN4pT1k"
    }`;
    const findings = audit(secret(leaky), "secret-literal");
    expect(findings.map((f) => f.line)).toEqual([6]);
    expect(findings[0]!.message).toContain("client_secret");
    expect(findings[0]!.message).not.toContain("q8Zr2LmX7vN4pT1k");
  });

  it("reads a JSON key file line by line: a placeholder private key is no finding, a real one is", () => {
    const keyFile = (privateKey: string) => secret(`stringData:
  credentials.json: |-
    {
      "type": "service_account",
      "project_id": "shop-prod",
      "private_key_id": "",
      "private_key": "${privateKey}",
      "client_email": "deployer@shop-prod.iam.gserviceaccount.com",
      "token_uri": "https://oauth2.googleapis.com/token"
    }`);
    expect(audit(keyFile("-----BEGIN PRIVATE KEY-----\\nA key\\n-----END PRIVATE KEY-----\\n"), "secret-literal")).toEqual([]);
    const real = audit(keyFile("-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n"), "secret-literal");
    expect(real.map((f) => f.line)).toEqual([6]);
    // A one-line JSON value is read the same way.
    expect(audit(secret(`stringData:\n  settings: '{"foo": "bar", "retries": 3}'`), "secret-literal")).toEqual([]);
  });

  it("ignores SOPS-encrypted Secrets and other kinds", () => {
    expect(audit(secret("stringData:\n  password: hunter2hunter2\nsops:\n  version: 3.8.1"), "secret-literal")).toEqual([]);
    expect(audit(secret("spec:\n  encryptedData:\n    password: AgBy3i4OJSWK", "SealedSecret"), "secret-literal")).toEqual([]);
    expect(audit(secret("data:\n  password: hunter2hunter2", "ConfigMap"), "secret-literal")).toEqual([]);
  });
});
