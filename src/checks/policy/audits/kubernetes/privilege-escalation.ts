/**
 * `allowPrivilegeEscalation: true` lets a process gain more privileges than its parent (setuid
 * binaries, file capabilities): a non-root foothold becomes root inside the container (checkov
 * CKV_K8S_20, Pod Security Standards Restricted).
 *
 * Only an explicit `true` is reported. Absent, the default is true too, but nearly every manifest
 * in the wild leaves it out, and reporting each one would bury the findings that matter; Restricted
 * profiles (Pod Security admission, Kyverno) enforce the explicit `false` cluster-side.
 * A privileged container is reported by `privileged-container` and not here (it always escalates).
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { KubernetesDocument } from "../../domains/kubernetes.js";
import { containerField, containerLabel, findingKey, isYamlTrue, workloads } from "./_workloads.js";

export const privilegeEscalation = defineAudit<KubernetesDocument>({
  id: "privilege-escalation",
  domain: "kubernetes",
  title: "Privilege escalation allowed",
  description: "A container with `allowPrivilegeEscalation: true` lets its processes become root through setuid binaries, so any foothold in it gains full control of the container.",
  severity: "high",
  confidence: "high",
  remediation: "Set `allowPrivilegeEscalation: false` in the container's `securityContext` (it is what the Restricted profile requires).",
  link: "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
  samples: {
    valid: [
      {
        text: `apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
    - name: shell
      image: alpine:3.20
      securityContext:
        allowPrivilegeEscalation: false
`,
      },
      {
        note: "absent is not reported by this audit (too noisy; the cluster's admission enforces it)",
        text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`,
      },
    ],
    invalid: [
      {
        text: `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  template:
    spec:
      containers:
        - name: postgres
          image: postgres:16
          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: true
`,
        lines: [14],
      },
      {
        note: "one of two containers",
        text: `apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
    - name: ok
      image: app:1
      securityContext: {allowPrivilegeEscalation: false}
    - name: bad
      image: sidecar:1
      securityContext: {allowPrivilegeEscalation: true}
`,
        lines: [12],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const workload of workloads(doc)) {
      for (const container of workload.containers) {
        const context = container.securityContext;
        if (!isYamlTrue(context?.allowPrivilegeEscalation) || isYamlTrue(context?.privileged)) continue;
        findings.push({
          line: workload.lineOf(containerField(container, "securityContext", "allowPrivilegeEscalation")),
          message: `The ${containerLabel(workload, container)} allows privilege escalation: its processes can become root through setuid binaries.`,
          key: findingKey(workload, container, "securityContext.allowPrivilegeEscalation"),
        });
      }
    }
    return findings;
  },
});
