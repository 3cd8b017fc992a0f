/**
 * A `hostPath` volume mounts a directory of the node into the pod: writes persist on the node and
 * reach every other pod there, and the right path is a way out (Kyverno `disallow-host-path`, Pod
 * Security Standards Baseline, checkov CKV_K8S_27 for the Docker socket). Graded by what the path
 * holds:
 * - critical: `/` and the container runtime's socket (`docker.sock`, `containerd.sock`,
 *   `crio.sock`, and `/run`/`/var/run` that hold them): talking to it starts a privileged container;
 * - high: `/proc`, `/sys`, `/dev`, `/boot`, `/root`, `/etc` itself and its credential files, and
 *   the kubelet's, Kubernetes' and Docker's state (`/var/lib/kubelet`, `/etc/kubernetes`, …);
 * - medium: any other path (log shippers' `/var/log`, `/etc/localtime`, the syslog socket `/dev/log`).
 * A volume that no container mounts writable is one step lower, except a socket: connecting to a
 * Unix socket is not a write, so `readOnly: true` protects nothing there. PersistentVolumes with
 * `hostPath` are cluster-admin objects and are not judged here.
 */
import type { Severity } from "../../../../core/types.js";
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { KubernetesDocument } from "../../domains/kubernetes.js";
import { asMap } from "../../domains/kubernetes.js";
import { findingKey, isYamlTrue, objectLabel, workloads, type Workload } from "./_workloads.js";

const RUNTIME_SOCKETS = new Set(["docker.sock", "containerd.sock", "crio.sock", "cri-dockerd.sock", "podman.sock", "dockershim.sock"]);
const SOCKET_DIRECTORIES = new Set(["/run", "/var/run", "/run/containerd", "/var/run/containerd", "/run/docker", "/var/run/docker", "/run/crio", "/var/run/crio"]);
const SENSITIVE_TREES = ["/proc", "/sys", "/dev", "/boot", "/root", "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/etc/kubernetes", "/etc/ssh", "/etc/sudoers.d", "/etc/cron.d"];
const SENSITIVE_FILES = new Set(["/etc", "/etc/shadow", "/etc/passwd", "/etc/sudoers", "/etc/crontab", "/var/lib"]);
const LOWER: Record<Severity, Severity> = { critical: "high", high: "medium", medium: "low", low: "low", info: "info" };

interface Grade {
  readonly severity: Severity;
  readonly what: string;
  /** Whether a read-only mount still gives the danger away. */
  readonly socket: boolean;
}

export const hostPathVolume = defineAudit<KubernetesDocument>({
  id: "host-path-volume",
  domain: "kubernetes",
  title: "Host path mounted",
  description: "A `hostPath` volume exposes the node's filesystem to the pod; the container runtime's socket or `/` gives the pod root on the node.",
  severity: "medium",
  confidence: "high",
  remediation: "Replace the `hostPath` volume with a PersistentVolumeClaim, `emptyDir`, ConfigMap or CSI volume; if a node agent truly needs it, mount the narrowest path `readOnly: true`.",
  link: "https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
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
      containers:
        - name: web
          image: nginx:1.27
          volumeMounts:
            - name: cache
              mountPath: /var/cache/nginx
            - name: config
              mountPath: /etc/nginx/conf.d
      volumes:
        - name: cache
          emptyDir: {}
        - name: config
          configMap:
            name: web-nginx
`,
      },
      {
        note: "a hostPath PersistentVolume is an admin object, not a pod volume",
        text: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: local-data
spec:
  capacity:
    storage: 10Gi
  accessModes: [ReadWriteOnce]
  hostPath:
    path: /mnt/data
`,
      },
    ],
    invalid: [
      {
        note: "the Docker socket (critical, readOnly does not help) and a log directory",
        text: `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
spec:
  template:
    spec:
      containers:
        - name: agent
          image: fluent/fluent-bit:3.1
          volumeMounts:
            - name: docker-sock
              mountPath: /var/run/docker.sock
              readOnly: true
            - name: varlog
              mountPath: /var/log
              readOnly: true
      volumes:
        - name: docker-sock
          hostPath:
            path: /var/run/docker.sock
            type: Socket
        - name: varlog
          hostPath:
            path: /var/log
`,
        lines: [20, 24],
      },
      {
        note: "the node's root filesystem, in flow style",
        text: `apiVersion: v1
kind: Pod
metadata:
  name: rescue
spec:
  containers:
    - name: shell
      image: busybox:1.36
      volumeMounts: [{name: host, mountPath: /host}]
  volumes:
    - {name: host, hostPath: {path: /}}
`,
        lines: [11],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const workload of workloads(doc)) {
      const volumes = workload.podSpec.value.volumes;
      if (!Array.isArray(volumes)) continue;
      const access = mountAccess(workload);
      volumes.forEach((entry, index) => {
        const volume = asMap(entry);
        const hostPath = asMap(volume?.hostPath);
        if (!volume || !hostPath) return;
        const name = typeof volume.name === "string" ? volume.name : `#${index}`;
        const path = typeof hostPath.path === "string" ? hostPath.path : "";
        const grade = gradePath(normalize(path));
        const mounted = access.get(name);
        const severity = grade.socket || mounted === "writable" ? grade.severity : LOWER[grade.severity];
        const note = mounted === "read-only" ? " (mounted read-only)" : mounted === undefined ? " (no container mounts it)" : "";
        findings.push({
          line: workload.lineOf([...workload.podSpec.path, "volumes", index, "hostPath"]),
          message: `${objectLabel(workload)} mounts the node's \`${path || "(no path)"}\` through hostPath volume \`${name}\`${note}: ${grade.what}.`,
          key: findingKey(workload, undefined, `volumes.${name}.hostPath:${path}`),
          severity,
        });
      });
    }
    return findings;
  },
});

/** How each volume is mounted: `writable` if any container mounts it without `readOnly: true`. One pass over the mounts. */
function mountAccess(workload: Workload): Map<string, "writable" | "read-only"> {
  const access = new Map<string, "writable" | "read-only">();
  for (const container of workload.containers) {
    const mounts = container.value.volumeMounts;
    if (!Array.isArray(mounts)) continue;
    for (const entry of mounts) {
      const mount = asMap(entry);
      if (typeof mount?.name !== "string" || access.get(mount.name) === "writable") continue;
      access.set(mount.name, isYamlTrue(mount.readOnly) ? "read-only" : "writable");
    }
  }
  return access;
}

/** `/var/run//docker.sock/` → `/var/run/docker.sock`; `.` segments dropped (no `..`: it is not resolved by the kubelet either). */
function normalize(path: string): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  return `/${parts.join("/")}`;
}

function gradePath(path: string): Grade {
  const base = path.slice(path.lastIndexOf("/") + 1);
  if (path === "/") return { severity: "critical", what: "the whole filesystem of the node, its credentials and binaries included", socket: false };
  if (RUNTIME_SOCKETS.has(base) || SOCKET_DIRECTORIES.has(path)) {
    return { severity: "critical", what: "the container runtime's socket: whoever talks to it can start a privileged container, which is root on the node", socket: true };
  }
  // The node's syslog socket: log lines in, nothing out.
  if (path === "/dev/log") return { severity: "medium", what: "the node's syslog socket: the pod can write to the node's logs", socket: true };
  if (SENSITIVE_FILES.has(path) || SENSITIVE_TREES.some((tree) => path === tree || path.startsWith(`${tree}/`))) {
    return { severity: "high", what: "a sensitive part of the node (kernel interfaces, devices, credentials or the kubelet's and runtime's state)", socket: false };
  }
  return { severity: "medium", what: "writes there persist on the node and reach the other pods it runs", socket: false };
}
