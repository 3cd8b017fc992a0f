/**
 * Linux capabilities added to a container beyond the runtime's default set. Some are root on the
 * node by another name: `SYS_ADMIN` mounts filesystems and escapes through cgroups, `SYS_MODULE`
 * loads kernel modules, `SYS_PTRACE` reads and injects into other processes, `DAC_READ_SEARCH`
 * reads any file of the host through open_by_handle_at ("shocker"), `NET_ADMIN` reconfigures the
 * network and `ALL` is all of them (checkov CKV_K8S_39 SYS_ADMIN, CKV_K8S_28 NET_RAW; Pod Security
 * Standards Baseline allows adding none of these). `NET_RAW` (raw sockets: ARP and DNS spoofing of
 * neighbouring pods) and `SYS_TIME` (the node's clock) are medium.
 *
 * Names are compared as the runtime does: case-insensitive, with or without `CAP_`. Capabilities
 * that are not in this list (`NET_BIND_SERVICE`, `CHOWN`, `IPC_LOCK`, …) are not reported, and
 * `drop` is never a finding (`drop: [ALL]` is the hardening this audit asks for).
 */
import type { Severity } from "../../../../core/types.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { KubernetesDocument } from "../../domains/kubernetes.js";
import { asMap } from "../../domains/kubernetes.js";
import { containerField, containerLabel, findingKey, workloads } from "./_workloads.js";

const DANGEROUS: Readonly<Record<string, { readonly severity: Severity; readonly what: string }>> = {
  ALL: { severity: "high", what: "every capability, which is root on the node in all but name" },
  SYS_ADMIN: { severity: "high", what: "mounts, namespaces and cgroups: the classic container escape" },
  SYS_MODULE: { severity: "high", what: "loading kernel modules: code in the node's kernel" },
  SYS_PTRACE: { severity: "high", what: "tracing and injecting code into other processes" },
  SYS_RAWIO: { severity: "high", what: "raw access to devices and I/O ports" },
  SYS_BOOT: { severity: "high", what: "rebooting the node or loading a new kernel" },
  DAC_READ_SEARCH: { severity: "high", what: "reading any file of the host by handle (the \"shocker\" escape)" },
  NET_ADMIN: { severity: "high", what: "reconfiguring interfaces, routes and firewall rules" },
  BPF: { severity: "high", what: "loading eBPF programs into the node's kernel" },
  MAC_ADMIN: { severity: "high", what: "changing the AppArmor or SELinux policy that confines it" },
  MAC_OVERRIDE: { severity: "high", what: "bypassing the AppArmor or SELinux policy that confines it" },
  NET_RAW: { severity: "medium", what: "raw sockets, enough to spoof ARP and DNS for neighbouring pods" },
  SYS_TIME: { severity: "medium", what: "setting the node's clock, shared by every pod on it" },
};

export const dangerousCapabilities = defineAudit<KubernetesDocument>({
  id: "dangerous-capabilities",
  domain: "kubernetes",
  title: "Dangerous capability added",
  description: "A container that adds `SYS_ADMIN`, `ALL`, `NET_ADMIN`, `SYS_MODULE`, `SYS_PTRACE` or a similar capability can escape to the node or attack its neighbours.",
  severity: "high",
  confidence: "high",
  remediation: "Remove the capability from `capabilities.add`; start from `drop: [ALL]` and add back only narrow ones such as `NET_BIND_SERVICE`.",
  link: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
  samples: {
    valid: [
      {
        note: "drop ALL, add back a narrow one",
        text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress
spec:
  template:
    spec:
      containers:
        - name: controller
          image: registry.k8s.io/ingress-nginx/controller:v1.11.2
          securityContext:
            allowPrivilegeEscalation: false
            capabilities:
              drop: [ALL]
              add: [NET_BIND_SERVICE]
`,
      },
      {
        note: "dropping dangerous capabilities is not adding them",
        text: `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: app:1
      securityContext:
        capabilities:
          drop:
            - NET_RAW
            - SYS_ADMIN
`,
      },
    ],
    invalid: [
      {
        text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: vpn
spec:
  template:
    spec:
      containers:
        - name: wireguard
          image: linuxserver/wireguard:1.0.20210914
          securityContext:
            capabilities:
              add:
                - NET_ADMIN
                - SYS_MODULE
                - NET_BIND_SERVICE
`,
        lines: [14, 15],
      },
      {
        note: "CAP_ prefix and lower case, flow style",
        text: `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: debug
      image: nicolaka/netshoot:v0.13
      securityContext:
        capabilities: {add: [cap_sys_admin, net_raw]}
`,
        lines: [10, 10],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const workload of workloads(doc)) {
      for (const container of workload.containers) {
        const added = asMap(container.securityContext?.capabilities)?.add;
        if (!Array.isArray(added)) continue;
        added.forEach((entry, index) => {
          if (typeof entry !== "string") return;
          const name = canonical(entry);
          const danger = DANGEROUS[name];
          if (!danger) return;
          findings.push({
            line: workload.lineOf([...containerField(container, "securityContext", "capabilities", "add"), index]),
            message: `The ${containerLabel(workload, container)} adds the capability ${name}: ${danger.what}.`,
            key: findingKey(workload, container, `capabilities.add:${name}`),
            severity: danger.severity,
          });
        });
      }
    }
    return findings;
  },
});

function canonical(capability: string): string {
  const upper = capability.trim().toUpperCase();
  return upper.startsWith("CAP_") ? upper.slice(4) : upper;
}
