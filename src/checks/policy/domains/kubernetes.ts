/**
 * Kubernetes manifests: YAML files whose documents carry top-level `apiVersion` and `kind`. One
 * file may hold many objects (`---` separated, as `kubectl apply -f` reads them; Helm's rendered
 * output, with a `# Source:` comment before each document; `kind: List` with `items`).
 *
 * The model keeps every object (a `Kustomization` or `Service` is an object too, with nothing for
 * the audits to judge) and, for workloads, where their pod spec is and what containers it runs, so
 * that an audit reads `securityContext` and reports on the line of the offending key.
 *
 * Format facts and decisions:
 * - Pod spec paths: Pod `spec`; Deployment, ReplicaSet, ReplicationController, StatefulSet,
 *   DaemonSet, Job `spec.template.spec`; PodTemplate `template.spec`; CronJob
 *   `spec.jobTemplate.spec.template.spec`. Any other kind with `spec.template.spec.containers` (Argo
 *   Rollouts, Knative Services, OpenKruise) is read the same way: they embed a real pod template.
 * - Helm chart sources (`templates/` with unrendered `{{ }}`) are not YAML and are judged after
 *   rendering; a line that opens with `{{` or `{%` is a template directive (`{{- if … }}`, a docs
 *   site's `{% raw %}`), whatever the folder, and such files are not read either. Argo Workflows' `{{inputs.x}}` inside values parse
 *   as strings and are read.
 * - Kubernetes reads YAML 1.1 (`privileged: yes` is true to the API server); `yaml` parses 1.2, so
 *   booleans are compared through `isYamlTrue` (audits/kubernetes/_workloads.ts), and merge keys
 *   (`<<: *defaults`), which YAML 1.2 reads as a plain key, are resolved here: otherwise a
 *   `privileged: true` merged in from an anchor would be invisible to the audits. A merged key has
 *   no line of its own; findings about it sit on the mapping that merges it.
 * - Not read: JSON manifests, GitHub workflows and actions, lockfiles, Compose files, and nested
 *   Lists (a List inside a List is not something kubectl writes).
 */
import { isMap, isScalar, isSeq } from "yaml";
import { lineOfNode, lineOfPath, parseYamlDocuments, YamlError, type ParsedYaml } from "../../../core/yaml.js";
import { PolicyParseError, type PolicyDomain } from "../audit.js";

export type YamlMap = Readonly<Record<string, unknown>>;
export type ObjectPath = readonly (string | number)[];

export type ContainerList = "containers" | "initContainers" | "ephemeralContainers";

export interface KubernetesContainer {
  /** `name`, or `#<index>` in its list for a container without one. */
  readonly name: string;
  readonly image?: string;
  readonly list: ContainerList;
  /** Path from the object's root, e.g. `["spec", "template", "spec", "containers", 0]`. */
  readonly path: ObjectPath;
  /** The line where the container's entry starts (its `- name:` line). */
  readonly line: number;
  readonly securityContext?: YamlMap;
  readonly value: YamlMap;
}

export interface KubernetesPodSpec {
  /** Path from the object's root to the pod spec. */
  readonly path: ObjectPath;
  readonly line: number;
  readonly value: YamlMap;
}

export interface KubernetesObject {
  readonly kind: string;
  readonly apiVersion: string;
  readonly name?: string;
  readonly namespace?: string;
  /** The line where the object starts. */
  readonly line: number;
  /** Helm's `# Source: chart/templates/x.yaml` for rendered output. */
  readonly source?: string;
  readonly value: YamlMap;
  /** Present for workloads and pod templates. */
  readonly podSpec?: KubernetesPodSpec;
  /** Every container of the pod spec: `containers`, then `initContainers`, then `ephemeralContainers`. */
  readonly containers: readonly KubernetesContainer[];
  /** The line of the key at `path` from the object's root (the deepest existing part, if absent). */
  lineOf(path: ObjectPath): number;
}

export interface KubernetesDocument {
  readonly path: string;
  readonly objects: readonly KubernetesObject[];
}

const POD_SPEC_PATHS: Readonly<Record<string, ObjectPath>> = {
  Pod: ["spec"],
  PodTemplate: ["template", "spec"],
  Deployment: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};
const CONVENTIONAL_TEMPLATE: ObjectPath = ["spec", "template", "spec"];
const CONTAINER_LISTS: readonly ContainerList[] = ["containers", "initContainers", "ephemeralContainers"];

const YAML_EXTENSION = /\.ya?ml$/i;
const COMPOSE_FILE = /^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$/i;
const LOCKFILE = /(?:^|[.-])lock\.ya?ml$/i;
const TOP_LEVEL_API_VERSION = /^["']?apiVersion["']?[ \t]*:[ \t]*\S/m;
const TOP_LEVEL_KIND = /^["']?kind["']?[ \t]*:[ \t]*\S/m;
/** A line that opens with a template directive: `{{- if .Values.x }}`, `{{ include "x" . }}`, Jinja's and Liquid's `{% raw %}`. */
const TEMPLATE_LINE = /^[ \t]*(?:-[ \t]+)?\{[{%]/m;

export const kubernetesDomain: PolicyDomain<KubernetesDocument> = {
  id: "kubernetes",
  files: "Kubernetes manifest (*.yaml, *.yml)",
  matches(path, text) {
    if (!isManifestPath(path)) return false;
    if (text === undefined) return "maybe";
    if (isChartTemplatePath(path) && text.includes("{{")) return false;
    if (TEMPLATE_LINE.test(text)) return false;
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    return TOP_LEVEL_API_VERSION.test(body) && TOP_LEVEL_KIND.test(body);
  },
  parse: parseKubernetes,
};

function isManifestPath(path: string): boolean {
  const normalized = path.replace(/\\/g, "/");
  const base = normalized.slice(normalized.lastIndexOf("/") + 1);
  if (!YAML_EXTENSION.test(base)) return false;
  if (/(?:^|\/)\.github\/workflows\//.test(normalized)) return false;
  if (/^action\.ya?ml$/i.test(base)) return false;
  if (LOCKFILE.test(base) || COMPOSE_FILE.test(base)) return false;
  return true;
}

function isChartTemplatePath(path: string): boolean {
  return /(?:^|\/)templates\//.test(path.replace(/\\/g, "/"));
}

export function parseKubernetes(text: string, path: string): KubernetesDocument {
  let docs: ParsedYaml[];
  try {
    docs = parseYamlDocuments(text);
  } catch (error) {
    const hint = text.includes("{{") ? " (an unrendered template? manifests are judged after rendering)" : "";
    if (error instanceof YamlError) throw new PolicyParseError(`${error.message}${hint}`, error.line);
    // The parser recurses: hostile nesting ends as a RangeError, which is the file's fault.
    if (error instanceof RangeError) throw new PolicyParseError("YAML nested too deeply to read");
    throw error;
  }
  const objects: KubernetesObject[] = [];
  for (const doc of docs) {
    resolveMergeKeys(doc.value);
    const root = asMap(doc.value);
    if (!root) continue;
    const source = helmSource(doc);
    const object = readObject(doc, root, [], source);
    if (!object) continue;
    const items = Array.isArray(root.items) ? root.items : undefined;
    if (object.kind.endsWith("List") && items) {
      // `kind: List` (or `PodList`, …): the items are the objects; typed lists may omit each item's kind.
      const itemKind = object.kind === "List" ? undefined : object.kind.slice(0, -"List".length);
      items.forEach((item, i) => {
        const map = asMap(item);
        if (!map) return;
        const read = readObject(doc, map, ["items", i], source, { kind: itemKind, apiVersion: object.apiVersion });
        if (read && !(read.kind.endsWith("List") && Array.isArray(map.items))) objects.push(read);
      });
      continue;
    }
    objects.push(object);
  }
  return { path, objects };
}

function readObject(
  doc: ParsedYaml,
  root: YamlMap,
  prefix: ObjectPath,
  source: string | undefined,
  defaults: { readonly kind?: string; readonly apiVersion?: string } = {},
): KubernetesObject | undefined {
  const kind = typeof root.kind === "string" ? root.kind : defaults.kind;
  const apiVersion = typeof root.apiVersion === "string" ? root.apiVersion : defaults.apiVersion;
  if (!kind || !apiVersion) return undefined;
  const metadata = asMap(root.metadata);
  const lineOf = (path: ObjectPath) => lineOfPath(doc, [...prefix, ...path]) ?? 1;
  const podPath = podSpecPath(kind, root);
  const podValue = podPath ? asMap(valueAt(root, podPath)) : undefined;
  const podSpec = podPath && podValue ? { path: podPath, line: lineOf(podPath), value: podValue } : undefined;
  return {
    kind,
    apiVersion,
    ...(typeof metadata?.name === "string" ? { name: metadata.name } : {}),
    ...(typeof metadata?.namespace === "string" ? { namespace: metadata.namespace } : {}),
    line: prefix.length === 0 ? (lineOfNode(doc, doc.doc.contents) ?? 1) : lineOf([]),
    ...(source !== undefined ? { source } : {}),
    value: root,
    ...(podSpec ? { podSpec } : {}),
    containers: podSpec ? readContainers(podSpec, lineOf) : [],
    lineOf,
  };
}

function podSpecPath(kind: string, root: YamlMap): ObjectPath | undefined {
  const known = POD_SPEC_PATHS[kind];
  if (known) return known;
  const conventional = asMap(valueAt(root, CONVENTIONAL_TEMPLATE));
  return conventional && Array.isArray(conventional.containers) ? CONVENTIONAL_TEMPLATE : undefined;
}

function readContainers(podSpec: KubernetesPodSpec, lineOf: (path: ObjectPath) => number): KubernetesContainer[] {
  const containers: KubernetesContainer[] = [];
  for (const list of CONTAINER_LISTS) {
    const entries = podSpec.value[list];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry, index) => {
      const value = asMap(entry);
      if (!value) return;
      const path = [...podSpec.path, list, index];
      const securityContext = asMap(value.securityContext);
      containers.push({
        name: typeof value.name === "string" && value.name !== "" ? value.name : `#${index}`,
        ...(typeof value.image === "string" ? { image: value.image } : {}),
        list,
        path,
        line: lineOf(path),
        ...(securityContext ? { securityContext } : {}),
        value,
      });
    });
  }
  return containers;
}

/** `chart/templates/x.yaml` from Helm's `# Source:` comment before a rendered document. */
function helmSource(doc: ParsedYaml): string | undefined {
  const contents = doc.doc.contents;
  const comments = [doc.doc.commentBefore, isMap(contents) ? contents.commentBefore : undefined, commentOfFirstKey(doc)];
  for (const comment of comments) {
    if (!comment) continue;
    for (const line of comment.split("\n")) {
      const trimmed = line.trim();
      if (trimmed.startsWith("Source:")) return trimmed.slice("Source:".length).trim();
    }
  }
  return undefined;
}

function commentOfFirstKey(doc: ParsedYaml): string | undefined {
  const contents = doc.doc.contents;
  if (!isMap(contents)) return undefined;
  const first = contents.items[0]?.key;
  return isScalar(first) || isMap(first) || isSeq(first) ? (first.commentBefore ?? undefined) : undefined;
}

/**
 * YAML 1.1 merge keys, as Kubernetes' decoder applies them: the mapping's own keys win, then the
 * merged mappings in order. In place: an alias is the same object wherever it is used, and so is
 * its merged form. An explicit stack for depth; each mapping is resolved once (aliases are capped
 * by the YAML helper, so merge chains are short).
 */
function resolveMergeKeys(root: unknown): void {
  const resolved = new Set<object>();
  const resolve = (map: Record<string, unknown>): void => {
    if (resolved.has(map)) return;
    resolved.add(map);
    if (!Object.prototype.hasOwnProperty.call(map, "<<")) return;
    const merged = map["<<"];
    delete map["<<"];
    for (const source of Array.isArray(merged) ? merged : [merged]) {
      const from = asMap(source) as Record<string, unknown> | undefined;
      if (!from) continue;
      resolve(from);
      for (const [key, value] of Object.entries(from)) if (!Object.prototype.hasOwnProperty.call(map, key)) map[key] = value;
    }
  };
  const stack: unknown[] = [root];
  const visited = new Set<object>();
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object" || visited.has(node)) continue;
    visited.add(node);
    if (!Array.isArray(node)) resolve(node as Record<string, unknown>);
    // One push at a time: spreading a list of 100,000 items into push() overflows the call stack.
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push(child);
  }
}

export function asMap(value: unknown): YamlMap | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as YamlMap) : undefined;
}

export function valueAt(root: unknown, path: ObjectPath): unknown {
  let node = root;
  for (const key of path) {
    if (typeof key === "number") node = Array.isArray(node) ? node[key] : undefined;
    else node = asMap(node)?.[key];
    if (node === undefined) return undefined;
  }
  return node;
}
