/**
 * A privileged container has every capability and the host's devices, with no seccomp or AppArmor
 * confinement: mounting the host's disk or loading a kernel module is one command away, so whoever
 * runs code in it (a dependency, an RCE in the app) owns the node (checkov CKV_K8S_16, Pod Security
 * Standards Baseline). Node agents (CNI, CSI drivers) need it and are reported all the same: each
 * one deserves a reviewer's look when it arrives.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { KubernetesDocument } from "../../domains/kubernetes.js";
import { containerField, containerLabel, findingKey, isYamlTrue, workloads } from "./_workloads.js";

export const privilegedContainer = defineAudit<KubernetesDocument>({
  id: "privileged-container",
  domain: "kubernetes",
  title: "Privileged container",
  description: "A container with `securityContext.privileged: true` has root on the node: anyone who runs code in it can mount the host's disk and escape.",
  severity: "critical",
  confidence: "high",
  remediation: "Remove `privileged: true` and add only the capabilities the container needs (`capabilities.add`), after `drop: [ALL]`.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  samples: {
    valid: [
      {
        note: "hardened container",
        text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.4.2
          securityContext:
            privileged: false
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
`,
      },
      {
        note: "privileged appears in a ConfigMap's data, not in a pod",
        text: `apiVersion: v1
kind: ConfigMap
metadata:
  name: docs
data:
  snippet: |
    securityContext:
      privileged: true
`,
      },
    ],
    invalid: [
      {
        text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-agent
  namespace: kube-system
spec:
  selector:
    matchLabels: {app: node-agent}
  template:
    metadata:
      labels: {app: node-agent}
    spec:
      containers:
        - name: agent
          image: registry.example.com/node-agent:2.1.0
          securityContext:
            privileged: true
`,
        lines: [17],
      },
      {
        note: "an init container and a CronJob; YAML 1.1 `yes` is true to Kubernetes",
        text: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          initContainers:
            - name: prepare
              image: busybox:1.36
              securityContext: {privileged: yes}
          containers:
            - name: cleanup
              image: busybox:1.36
              securityContext:
                privileged: true
`,
        lines: [15, 20],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const workload of workloads(doc)) {
      for (const container of workload.containers) {
        if (!isYamlTrue(container.securityContext?.privileged)) continue;
        findings.push({
          line: workload.lineOf(containerField(container, "securityContext", "privileged")),
          message: `The ${containerLabel(workload, container)} runs privileged: it has every capability and the host's devices, so code running in it can take over the node.`,
          key: findingKey(workload, container, "securityContext.privileged"),
        });
      }
    }
    return findings;
  },
});
