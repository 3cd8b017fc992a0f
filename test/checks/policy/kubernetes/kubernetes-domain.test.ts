/**
 * The Kubernetes domain: which files it reads, and the model it builds from multi-document
 * manifests, Helm's rendered output, CronJob templates and Lists, with the lines audits report on.
 */
import { describe, expect, it } from "vitest";
import { PolicyParseError } from "../../../../src/checks/policy/audit.js";
import { kubernetesDomain, parseKubernetes } from "../../../../src/checks/policy/domains/kubernetes.js";
import { policyParseErrorOf } from "../audit-harness.js";

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

const parseError = (text: string) => policyParseErrorOf(() => parseKubernetes(text, "deploy/app.yaml"));

describe("kubernetesDomain.matches", () => {
  it("asks to read YAML files by path, and rules out the YAML of other tools", () => {
    for (const path of ["deploy/app.yaml", "k8s/base/deployment.yml", "manifests/install.YAML", "charts/web/templates/deployment.yaml"]) {
      expect(kubernetesDomain.matches(path), path).toBe("maybe");
    }
    for (const path of [
      ".github/workflows/ci.yml",
      "action.yml",
      "tools/lint/action.yaml",
      "pnpm-lock.yaml",
      "docker-compose.yml",
      "docker-compose.prod.yaml",
      "compose.yaml",
      "deploy/app.json",
      "Dockerfile",
      "README.md",
    ]) {
      expect(kubernetesDomain.matches(path), path).toBe(false);
    }
  });

  it("reads a file only when a document has top-level apiVersion and kind", () => {
    expect(kubernetesDomain.matches("deploy/app.yaml", DEPLOYMENT)).toBe(true);
    expect(kubernetesDomain.matches("deploy/app.yaml", `# leading comment\n---\n${DEPLOYMENT}`)).toBe(true);
    expect(kubernetesDomain.matches("deploy/app.yaml", `\uFEFF${DEPLOYMENT.replace(/\n/g, "\r\n")}`)).toBe(true);
    expect(kubernetesDomain.matches("config/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [a.yaml]\n")).toBe(true);
    // Chart.yaml has an apiVersion but no kind; values.yaml and CI configs have neither at the top.
    expect(kubernetesDomain.matches("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n")).toBe(false);
    expect(kubernetesDomain.matches("chart/values.yaml", "kind: Deployment\nimage:\n  repository: nginx\n  apiVersion: v1\n")).toBe(false);
    expect(kubernetesDomain.matches(".gitlab-ci.yml", "stages: [test]\ntest:\n  script: [make]\n")).toBe(false);
  });

  it("skips unrendered Helm templates, which are judged after rendering", () => {
    const template = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "web.fullname" . }}\n`;
    expect(kubernetesDomain.matches("charts/web/templates/deployment.yaml", template)).toBe(false);
    // A plain manifest in a chart's templates/ folder has nothing to render and is read.
    expect(kubernetesDomain.matches("charts/web/templates/deployment.yaml", DEPLOYMENT)).toBe(true);
    // A template directive at the start of a line, wherever the file is.
    expect(kubernetesDomain.matches("deploy/app.yaml", `{{- if .Values.enabled }}\n${DEPLOYMENT}{{- end }}\n`)).toBe(false);
    expect(kubernetesDomain.matches("docs/snippets/app.yaml", `{% raw %}\n${DEPLOYMENT}{% endraw %}\n`)).toBe(false);
    // Argo Workflows' parameters inside values are strings, and the file is read.
    expect(kubernetesDomain.matches("deploy/wf.yaml", `apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  arguments:\n    parameters:\n      - name: msg\n        value: "{{workflow.name}}"\n`)).toBe(true);
  });
});

describe("parseKubernetes", () => {
  it("reads every document of a multi-document file, with names, namespaces and lines", () => {
    const doc = parseKubernetes(`${DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports: [{port: 80}]\n`, "deploy/app.yaml");
    expect(doc.objects.map((o) => [o.kind, o.apiVersion, o.name, o.namespace, o.line])).toEqual([
      ["Deployment", "apps/v1", "web", undefined, 1],
      ["Service", "v1", "web", "shop", 12],
    ]);
    const [deployment, service] = doc.objects;
    expect(deployment!.podSpec).toMatchObject({ path: ["spec", "template", "spec"], line: 7 });
    expect(deployment!.containers).toMatchObject([{ name: "web", image: "nginx:1.27", list: "containers", line: 9 }]);
    expect(service!.podSpec).toBeUndefined();
    expect(service!.containers).toEqual([]);
  });

  it("reads Helm's rendered output: `# Source:` comments, empty documents, leading `---`", () => {
    const text = `---
# Source: web/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
---
# Source: web/templates/tests/test-connection.yaml
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: "nginx:1.27"
          securityContext:
            privileged: true
`;
    const doc = parseKubernetes(text, "rendered.yaml");
    expect(doc.objects.map((o) => [o.kind, o.source, o.line])).toEqual([
      ["ServiceAccount", "web/templates/serviceaccount.yaml", 3],
      ["Deployment", "web/templates/deployment.yaml", 11],
    ]);
    const deployment = doc.objects[1]!;
    const container = deployment.containers[0]!;
    expect(deployment.lineOf([...container.path, "securityContext", "privileged"])).toBe(22);
  });

  it("finds the pod spec of every workload kind and of CronJob templates", () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a, image: a:1}]
---
apiVersion: v1
kind: PodTemplate
metadata: {name: t}
template:
  spec:
    containers: [{name: b, image: b:1}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          initContainers:
            - name: init
              image: busybox:1.36
          containers:
            - image: busybox:1.36
          ephemeralContainers:
            - name: debugger
              image: busybox:1.36
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata: {name: r}
spec:
  template:
    spec:
      containers: [{name: d, image: d:1}]
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec:
  template:
    spec: {replicas: 2}
`;
    const doc = parseKubernetes(text, "all.yaml");
    const byKind = Object.fromEntries(doc.objects.map((o) => [o.kind, o]));
    expect(byKind.Pod!.podSpec?.path).toEqual(["spec"]);
    expect(byKind.PodTemplate!.podSpec?.path).toEqual(["template", "spec"]);
    expect(byKind.CronJob!.podSpec?.path).toEqual(["spec", "jobTemplate", "spec", "template", "spec"]);
    expect(byKind.CronJob!.containers.map((c) => [c.name, c.list, c.line])).toEqual([
      ["#0", "containers", 27],
      ["init", "initContainers", 24],
      ["debugger", "ephemeralContainers", 29],
    ]);
    expect(byKind.Rollout!.containers.map((c) => c.name)).toEqual(["d"]);
    // A custom kind with a `spec.template.spec` that holds no containers is not a pod template.
    expect(byKind.Widget!.podSpec).toBeUndefined();
  });

  it("reads `kind: List` items, and typed lists whose items omit their kind", () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Pod
    metadata: {name: first}
    spec:
      containers:
        - name: app
          image: app:1
  - apiVersion: v1
    kind: Secret
    metadata: {name: creds}
    stringData: {token: abc}
  - not-an-object
---
apiVersion: apps/v1
kind: DeploymentList
items:
  - metadata: {name: listed}
    spec:
      template:
        spec:
          containers: [{name: web, image: nginx:1.27}]
`;
    const doc = parseKubernetes(text, "list.yaml");
    expect(doc.objects.map((o) => [o.kind, o.apiVersion, o.name, o.line])).toEqual([
      ["Pod", "v1", "first", 4],
      ["Secret", "v1", "creds", 11],
      ["Deployment", "apps/v1", "listed", 20],
    ]);
    const pod = doc.objects[0]!;
    expect(pod.podSpec?.path).toEqual(["spec"]);
    expect(pod.lineOf([...pod.containers[0]!.path, "image"])).toBe(10);
  });

  it("resolves YAML 1.1 merge keys as Kubernetes does (own keys win), so nothing hides behind an anchor", () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: p}
x-defaults: &defaults
  privileged: true
  runAsUser: 0
x-more: &more
  <<: *defaults
  allowPrivilegeEscalation: true
spec:
  containers:
    - name: a
      image: a:1
      securityContext:
        <<: [*more]
        runAsUser: 1000
`;
    const [pod] = parseKubernetes(text, "merge.yaml").objects;
    const container = pod!.containers[0]!;
    expect(container.securityContext).toEqual({ runAsUser: 1000, allowPrivilegeEscalation: true, privileged: true });
    // A merged key has no line of its own: it points at the mapping that merges it.
    expect(pod!.lineOf([...container.path, "securityContext", "privileged"])).toBe(14);
  });

  it("walks a list of 200,000 items without overflowing the stack", { timeout: 30_000 }, () => {
    // Spreading that many items into one call would throw a RangeError.
    const doc = parseKubernetes(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\nlist: [${Array(200_000).fill("0").join(",")}]\n`, "big.yaml");
    expect(doc.objects.map((o) => o.kind)).toEqual(["ConfigMap"]);
  });

  it("skips documents that are not objects: scalars, sequences, no kind, comments only", () => {
    const doc = parseKubernetes("# only a comment\n---\n- a\n- b\n---\njust text\n---\nname: no-kind\n---\n", "x.yaml");
    expect(doc.objects).toEqual([]);
    expect(parseKubernetes("", "empty.yaml").objects).toEqual([]);
  });

  it("throws PolicyParseError with the line for invalid YAML and duplicate keys", () => {
    const syntax = parseError(`${DEPLOYMENT}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [web\n`);
    expect(syntax.line).toBeGreaterThanOrEqual(15);
    const duplicate = parseError(`apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  containers: []\n  containers:\n    - name: hidden\n`);
    expect(duplicate.line).toBe(7);
    expect(duplicate.message).toMatch(/duplicate key/);
  });

  it("hints at an unrendered template when a file with `{{` does not parse", () => {
    const error = parseError(`apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {{ toYaml .Values.labels }}\n  x: [\n`);
    expect(error.message).toMatch(/unrendered template/);
  });

  it("refuses alias bombs and hostile nesting with a PolicyParseError, not a crash", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    bomb.push("apiVersion: v1", "kind: ConfigMap");
    expect(() => parseKubernetes(bomb.join("\n"), "bomb.yaml")).toThrow(PolicyParseError);
    expect(() => parseKubernetes(`apiVersion: v1\nkind: ConfigMap\ndata: ${"[".repeat(50_000)}`, "deep.yaml")).toThrow(PolicyParseError);
  });

  it("parses a large rendered file quickly", () => {
    const text = Array.from({ length: 2000 }, (_, i) => DEPLOYMENT.replace("name: web\n", `name: web-${i}\n`)).join("---\n");
    const started = performance.now();
    const doc = parseKubernetes(text, "big.yaml");
    expect(doc.objects).toHaveLength(2000);
    expect(doc.objects[1999]!.containers[0]!.line).toBe(1999 * 11 + 9);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});
