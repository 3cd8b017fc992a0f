/**
 * What the Kubernetes audits share: walking workloads and their containers, reading YAML 1.1
 * booleans as the API server does, and the key that makes a finding itself (`kind/name/container/
 * field`, never a line, so that a finding survives reformatting and a new container's is new).
 */
import { asMap, type KubernetesContainer, type KubernetesDocument, type KubernetesObject, type KubernetesPodSpec, type ObjectPath, type YamlMap } from "../../domains/kubernetes.js";

export type Workload = KubernetesObject & { readonly podSpec: KubernetesPodSpec };

export function workloads(doc: KubernetesDocument): Workload[] {
  return doc.objects.filter((o): o is Workload => o.podSpec !== undefined);
}

/** Kubernetes decodes YAML 1.1: `yes`, `on` and `y` are true there, though YAML 1.2 reads strings. */
export function isYamlTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && /^(?:true|yes|on|y)$/i.test(value));
}

export function isYamlFalse(value: unknown): boolean {
  return value === false || (typeof value === "string" && /^(?:false|no|off|n)$/i.test(value));
}

/** `Deployment/web`, for messages and keys. */
export function objectLabel(object: KubernetesObject): string {
  return `${object.kind}/${object.name ?? "(unnamed)"}`;
}

export function findingKey(object: KubernetesObject, container: KubernetesContainer | undefined, field: string): string {
  return `${objectLabel(object)}/${container ? container.name : "(pod)"}/${field}`;
}

export function containerLabel(object: KubernetesObject, container: KubernetesContainer): string {
  const what = container.list === "containers" ? "container" : container.list === "initContainers" ? "init container" : "ephemeral container";
  return `${what} \`${container.name}\` of ${object.kind} \`${object.name ?? "(unnamed)"}\``;
}

export function podSecurityContext(workload: Workload): YamlMap | undefined {
  return asMap(workload.podSpec.value.securityContext);
}

export function containerField(container: KubernetesContainer, ...path: string[]): ObjectPath {
  return [...container.path, ...path];
}

export function podField(workload: Workload, ...path: string[]): ObjectPath {
  return [...workload.podSpec.path, ...path];
}
