/**
 * Sharing the node's namespaces: `hostNetwork` puts the pod on the node's network (it can reach
 * the kubelet and metadata endpoints as the node, sniff or bind any port), `hostPID` lets it see and
 * signal every process on the node (and read their environments through /proc), `hostIPC` lets it
 * read the shared memory of the node's processes (checkov CKV_K8S_17/18/19, Pod Security Standards
 * Baseline). Network plugins and node exporters need some of these, and are reported all the same.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { KubernetesDocument } from "../../domains/kubernetes.js";
import { findingKey, isYamlTrue, objectLabel, podField, workloads } from "./_workloads.js";

const NAMESPACES = {
  hostNetwork: "shares the node's network: it can reach the kubelet and cloud metadata as the node and bind or sniff its ports",
  hostPID: "shares the node's process namespace: it can see, signal and read the environment of every process on the node",
  hostIPC: "shares the node's IPC namespace: it can read and write the shared memory of the node's processes",
} as const;

export const hostNamespaces = defineAudit<KubernetesDocument>({
  id: "host-namespaces",
  domain: "kubernetes",
  title: "Host namespaces shared",
  description: "A pod with `hostNetwork`, `hostPID` or `hostIPC` shares the node's network, processes or memory, so a compromise of the pod reaches the node and its other workloads.",
  severity: "high",
  confidence: "high",
  remediation: "Remove `hostNetwork`, `hostPID` and `hostIPC` (or set them to false); expose ports with a Service instead of the host's network.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  samples: {
    valid: [
      {
        text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: false
      hostPID: false
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
`,
      },
      {
        note: "hostPort and dnsPolicy are not namespaces",
        text: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  dnsPolicy: ClusterFirstWithHostNet
  containers:
    - name: app
      image: app:1
      ports:
        - containerPort: 80
          hostPort: 8080
`,
      },
    ],
    invalid: [
      {
        text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
spec:
  template:
    spec:
      hostNetwork: true
      hostPID: true
      containers:
        - name: exporter
          image: quay.io/prometheus/node-exporter:v1.8.2
`,
        lines: [8, 9],
      },
      {
        text: `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  hostIPC: true
  containers:
    - name: debug
      image: busybox:1.36
`,
        lines: [6],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const workload of workloads(doc)) {
      for (const [field, what] of Object.entries(NAMESPACES)) {
        if (!isYamlTrue(workload.podSpec.value[field])) continue;
        findings.push({
          line: workload.lineOf(podField(workload, field)),
          message: `${objectLabel(workload)} ${what}.`,
          key: findingKey(workload, undefined, field),
        });
      }
    }
    return findings;
  },
});
