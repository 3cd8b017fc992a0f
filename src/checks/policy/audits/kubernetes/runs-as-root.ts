/**
 * A container that runs as root (UID 0) turns every container escape, writable host mount or
 * kernel bug into root on the node, and lets a foothold rewrite the container's own binaries
 * (checkov CKV_K8S_23, Pod Security Standards Restricted).
 *
 * What each container gets is its own `securityContext` over the pod's: a container-level
 * `runAsUser`/`runAsNonRoot` overrides the pod's. Reported:
 * - `runAsUser: 0` (high), at the level it comes from, once;
 * - `runAsNonRoot: false` with no non-zero `runAsUser` (medium): it switches the kubelet's check off;
 * - neither set anywhere (low, low confidence, once per workload on its `containers:` line): the
 *   image's `USER` decides, and most images run as root. Not reported for Windows pods (no UIDs),
 *   for images tagged `nonroot`/`rootless` (distroless and others set a non-root USER), or for
 *   containers without an `image` (a Kustomize patch, merged over a base that may set it).
 * `runAsUser: 0` beside an effective `runAsNonRoot: true` is not reported: the kubelet refuses to
 * start that container, so nothing runs as root.
 */
import type { Severity, Confidence } from "../../../../core/types.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { KubernetesContainer, KubernetesDocument, ObjectPath } from "../../domains/kubernetes.js";
import { containerField, containerLabel, findingKey, isYamlFalse, isYamlTrue, objectLabel, podField, podSecurityContext, workloads, type Workload } from "./_workloads.js";

interface Setting<T> {
  readonly value: T;
  /** The container it is set on, or undefined for the pod's securityContext. */
  readonly container?: KubernetesContainer;
}

export const runsAsRoot = defineAudit<KubernetesDocument>({
  id: "runs-as-root",
  domain: "kubernetes",
  title: "Container runs as root",
  description: "A container that runs as UID 0 (`runAsUser: 0`, or no `runAsNonRoot` and an image that defaults to root) turns any escape or writable host mount into root on the node.",
  severity: "high",
  confidence: "high",
  remediation: "Set `runAsNonRoot: true` and a non-zero `runAsUser` in the pod's `securityContext` (and build the image with a non-root `USER`).",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
  samples: {
    valid: [
      {
        note: "pod-level runAsNonRoot covers every container",
        text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
      containers:
        - name: api
          image: ghcr.io/acme/api:2.0.0
        - name: proxy
          image: envoyproxy/envoy:v1.31.0
`,
      },
      {
        note: "runAsNonRoot: false at pod level, but each container runs as a non-zero UID",
        text: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsNonRoot: false
  containers:
    - name: app
      image: app:1
      securityContext:
        runAsUser: 1000
`,
      },
      {
        note: "a Kustomize patch (no image) and a Windows pod",
        text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          resources:
            limits: {memory: 512Mi}
---
apiVersion: v1
kind: Pod
metadata:
  name: win
spec:
  nodeSelector:
    kubernetes.io/os: windows
  containers:
    - name: iis
      image: mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022
`,
      },
    ],
    invalid: [
      {
        note: "explicit root at pod level; a container's own runAsNonRoot: false",
        text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy
spec:
  template:
    spec:
      securityContext:
        runAsUser: 0
      containers:
        - name: app
          image: legacy/app:3.2
        - name: sidecar
          image: sidecar:1
          securityContext:
            runAsUser: 2000
            runAsNonRoot: false
        - name: shipper
          image: shipper:1
          securityContext:
            runAsUser: 1000
---
apiVersion: v1
kind: Pod
metadata:
  name: tools
spec:
  containers:
    - name: tools
      image: tools:1
      securityContext:
        runAsNonRoot: false
`,
        lines: [9, 32],
      },
      {
        note: "nothing set: one low-confidence finding on the containers: line",
        text: `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: ghcr.io/acme/migrate:1.0.0
        - name: notify
          image: curlimages/curl:8.9.1
`,
        lines: [9],
      },
      {
        note: "container-level root overrides the pod's non-root UID",
        text: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsUser: 1000
  containers:
    - name: app
      image: app:1
      securityContext:
        runAsUser: 0
`,
        lines: [12],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const workload of workloads(doc)) findings.push(...judgeWorkload(workload));
    return findings;
  },
});

function judgeWorkload(workload: Workload): AuditFinding[] {
  const pod = podSecurityContext(workload);
  const findings = new Map<string, AuditFinding>();
  const report = (setting: Setting<unknown>, field: string, severity: Severity, message: string) => {
    const key = findingKey(workload, setting.container, `securityContext.${field}`);
    const path: ObjectPath = setting.container ? containerField(setting.container, "securityContext", field) : podField(workload, "securityContext", field);
    if (!findings.has(key)) findings.set(key, { line: workload.lineOf(path), message, key, severity });
  };
  const unset: KubernetesContainer[] = [];
  for (const container of workload.containers) {
    const own = container.securityContext;
    const user = effective(own?.runAsUser, pod?.runAsUser, container, (v) => typeof v === "number");
    const nonRoot = effective(own?.runAsNonRoot, pod?.runAsNonRoot, container, (v) => isYamlTrue(v) || isYamlFalse(v));
    const where = (s: Setting<unknown>) => (s.container ? `the ${containerLabel(workload, container)}` : `${objectLabel(workload)} (pod securityContext, inherited by the ${containerLabel(workload, container)})`);
    if (user && user.value !== 0) continue;
    if (nonRoot && isYamlTrue(nonRoot.value)) continue;
    if (user) {
      report(user, "runAsUser", "high", `${capitalize(where(user))} runs as root (runAsUser: 0): an escape or a writable host mount is root on the node.`);
    } else if (nonRoot) {
      report(nonRoot, "runAsNonRoot", "medium", `${capitalize(where(nonRoot))} sets runAsNonRoot: false and no non-zero runAsUser, so it runs as root whenever the image does.`);
    } else if (container.image !== undefined && !/(?:non-?root|rootless)/i.test(container.image)) {
      unset.push(container);
    }
  }
  if (unset.length > 0 && !isWindows(workload, pod)) {
    const names = unset.map((c) => `\`${c.name}\``).join(", ");
    const key = findingKey(workload, undefined, "runAsNonRoot");
    const confidence: Confidence = "low";
    findings.set(key, {
      line: workload.lineOf(podField(workload, "containers")),
      message: `${objectLabel(workload)} sets neither runAsNonRoot nor runAsUser for ${names}: they run as whatever user the image has, which is root for most images.`,
      key,
      severity: "low",
      confidence,
    });
  }
  return [...findings.values()];
}

/** The container's own setting if it has one, else the pod's. */
function effective(own: unknown, pod: unknown, container: KubernetesContainer, isSet: (v: unknown) => boolean): Setting<unknown> | undefined {
  if (isSet(own)) return { value: own, container };
  if (isSet(pod)) return { value: pod };
  return undefined;
}

function isWindows(workload: Workload, pod: ReturnType<typeof podSecurityContext>): boolean {
  const spec = workload.podSpec.value;
  const os = spec.os as { name?: unknown } | undefined;
  const selector = spec.nodeSelector as Record<string, unknown> | undefined;
  if (typeof os === "object" && os !== null && os.name === "windows") return true;
  if (typeof selector === "object" && selector !== null && (selector["kubernetes.io/os"] === "windows" || selector["beta.kubernetes.io/os"] === "windows")) return true;
  return pod?.windowsOptions !== undefined || workload.containers.some((c) => c.securityContext?.windowsOptions !== undefined);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
