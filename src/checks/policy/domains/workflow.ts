/**
 * GitHub Actions workflows (`.github/workflows/*.yml|yaml`) and actions (`action.yml|yaml`,
 * composite or not), read into one typed model in which every value carries its 1-based line.
 *
 * Why a model: the audits reason about triggers, jobs and steps, not YAML nodes, and each finding
 * must land on the line of the construct (for a `run:` script, the line of the expression inside
 * it). The model is built once per file; audits never re-parse.
 *
 * The model (API, stable; other audits are written against it):
 * - `WorkflowDocument`: `path`, `kind` ("workflow" | "action"), `name?`, `lines` (the source split
 *   into lines, for comments such as `uses: x@sha # v1.2.3`), `yaml` (the parsed document, for what
 *   the model leaves out: use `lineOfPath(doc.yaml, [...job.yamlPath, "services"])`), `triggers`,
 *   `permissions?`, `env`, `defaultShell?`, `jobs`, `runs?` (actions), `inputs` (declared inputs of
 *   an action, or of `workflow_dispatch`/`workflow_call`).
 * - `WorkflowText` is every string value: `value` (as the runner receives it, after YAML folding),
 *   `line` (the line of its KEY: `run:`, `script:`, `FOO:`; for a list item, the item's line),
 *   `valueLine` (where its first character sits: the line after a `|`/`>` header) and
 *   `lineAt(offset)`, the file line of an offset inside `value` (block scalars, folded and
 *   multi-line plain or quoted strings; escapes in double quotes map to the nearest earlier line).
 * - `with`, `env` and permission scopes are `ReadonlyMap`s by key (never prototype-backed objects:
 *   a key may be `__proto__`). Non-string scalars are given as their YAML text (`true`, `3`).
 * - Steps: `index` (0-based in its list; a `parallel:` group's steps are listed in the group's
 *   place, and their `yamlPath` says where they are), `line` (the step's first line, the `-` item), `jobId`
 *   (`"runs"` for an action's steps), `uses?` + `usesLine?`, `with`, `env`, `run?`, `shell?` (the
 *   step's own, else the job's or workflow's `defaults.run.shell`, see `effectiveShell`), `if?`.
 * - Jobs: `id`, `line` (of the job's key), `name?`, `runsOn?` (`labels` from a string, a list or a
 *   `{group, labels}` mapping, plus `group?`; an expression stays one label), `permissions?`, `env`,
 *   `if?`, `needs`, `environment?`, `uses?` + `usesLine?` (a reusable workflow), `with`, `secrets?`
 *   (`inherit` or a map), `steps`, `defaultShell?`, `raw` (the job as plain data) and `yamlPath`.
 * - Triggers: one per event, with `line`, list-valued `filters` (`types`, `branches`, `paths`,
 *   `workflows`…; a single string becomes a one-item list) and `raw` (the event's configuration).
 *   `on: push`, `on: [push, pull_request]` and the mapping form all give the same shape.
 * - Permissions: `line` (of the `permissions:` key), `all` (`read-all`, `write-all` or another
 *   string as written) or `scopes` (`contents: read`; empty for `{}`). Absent = `undefined`, which
 *   means the repository's default token permissions apply.
 *
 * Errors: malformed YAML, a document that is not a mapping, a workflow without `jobs`, an action
 * without `runs`, and structural misuse (a job or step that is not a mapping, `steps` that is not a
 * list) throw `PolicyParseError` with the line. Unknown keys are kept in `raw`, never errors: GitHub
 * adds keys, and an audit must not stop on them.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from "yaml";
import { lineOfNode, parseYaml, YamlError, type ParsedYaml } from "../../../core/yaml.js";
import { PolicyParseError, type PolicyDomain } from "../audit.js";

export interface WorkflowText {
  readonly value: string;
  /** Line of the key (or of the list item) that holds the value. */
  readonly line: number;
  /** Line of the value's first character (after a block scalar's `|`/`>` header line). */
  readonly valueLine: number;
  /** The file line of `offset` (0-based, into `value`). */
  lineAt(offset: number): number;
}

export type TextMap = ReadonlyMap<string, WorkflowText>;

export interface WorkflowTrigger {
  /** `push`, `pull_request_target`, `workflow_run`, … */
  readonly event: string;
  readonly line: number;
  /** List-valued filters of the event, e.g. `types`, `branches`, `branches-ignore`, `paths`, `tags`, `workflows`. */
  readonly filters: ReadonlyMap<string, readonly string[]>;
  /** The event's configuration as plain data (`null` when it has none). */
  readonly raw: unknown;
}

export interface WorkflowPermissions {
  readonly line: number;
  /** The string form as written (`read-all`, `write-all`, …); undefined for a mapping. */
  readonly all?: string;
  /** Per-scope access (`contents` → `read`); empty for `{}` or the string form. */
  readonly scopes: TextMap;
}

export interface WorkflowInput {
  readonly name: string;
  readonly line: number;
  /** Declared `type` (`string`, `boolean`, `choice`, `number`, `environment`); undefined when not declared. */
  readonly type?: string;
  /** Where it is declared: an action's `inputs`, or the trigger that declares it. */
  readonly source: "action" | "workflow_dispatch" | "workflow_call";
}

export interface RunsOn {
  readonly line: number;
  readonly labels: readonly string[];
  readonly group?: string;
}

export interface JobSecrets {
  readonly line: number;
  /** `secrets: inherit`. */
  readonly inherit: boolean;
  readonly values: TextMap;
}

export interface WorkflowStep {
  /** 0-based position in its job's (or action's) steps, with `parallel:` groups flattened. */
  readonly index: number;
  /** Line of the step's first key (the `- ` item). */
  readonly line: number;
  /** The job's id; `"runs"` for an action's steps. */
  readonly jobId: string;
  readonly id?: WorkflowText;
  readonly name?: WorkflowText;
  /** As written, e.g. `actions/checkout@v4`, `./.github/actions/x`, `docker://alpine:3`. */
  readonly uses?: string;
  readonly usesLine?: number;
  readonly with: TextMap;
  readonly env: TextMap;
  readonly run?: WorkflowText;
  /** The step's own `shell:`; see `effectiveShell` for the inherited default. */
  readonly shell?: WorkflowText;
  readonly if?: WorkflowText;
  readonly workingDirectory?: WorkflowText;
  readonly raw: unknown;
  readonly yamlPath: readonly (string | number)[];
}

export interface WorkflowJob {
  readonly id: string;
  readonly line: number;
  readonly name?: WorkflowText;
  readonly runsOn?: RunsOn;
  readonly permissions?: WorkflowPermissions;
  readonly env: TextMap;
  readonly if?: WorkflowText;
  readonly needs: readonly string[];
  /** The environment's name (`environment: prod` or `environment: { name: prod }`). */
  readonly environment?: WorkflowText;
  /** A reusable workflow: `owner/repo/.github/workflows/x.yml@ref` or `./.github/workflows/x.yml`. */
  readonly uses?: string;
  readonly usesLine?: number;
  readonly with: TextMap;
  readonly secrets?: JobSecrets;
  readonly steps: readonly WorkflowStep[];
  /** `defaults.run.shell` of the job. */
  readonly defaultShell?: WorkflowText;
  readonly raw: unknown;
  readonly yamlPath: readonly (string | number)[];
}

export interface ActionRuns {
  readonly line: number;
  /** `composite`, `node20`, `docker`, … */
  readonly using?: WorkflowText;
  /** Composite actions' steps (empty for others). */
  readonly steps: readonly WorkflowStep[];
  readonly raw: unknown;
}

export interface WorkflowDocument {
  readonly path: string;
  readonly kind: "workflow" | "action";
  readonly name?: WorkflowText;
  /** The source's lines (index 0 is line 1). */
  readonly lines: readonly string[];
  readonly yaml: ParsedYaml;
  /** Empty for actions. */
  readonly triggers: readonly WorkflowTrigger[];
  readonly permissions?: WorkflowPermissions;
  readonly env: TextMap;
  /** `defaults.run.shell` of the workflow. */
  readonly defaultShell?: WorkflowText;
  /** Empty for actions. */
  readonly jobs: readonly WorkflowJob[];
  readonly runs?: ActionRuns;
  readonly inputs: readonly WorkflowInput[];
}

/** Every step of the document with its job (`undefined` for an action's steps). */
export function allSteps(doc: WorkflowDocument): { job?: WorkflowJob; step: WorkflowStep }[] {
  const out: { job?: WorkflowJob; step: WorkflowStep }[] = [];
  for (const job of doc.jobs) for (const step of job.steps) out.push({ job, step });
  for (const step of doc.runs?.steps ?? []) out.push({ step });
  return out;
}

/** The shell a `run:` step uses as written: its own, the job's default, the workflow's; undefined = the runner's default (bash, or pwsh on Windows). */
export function effectiveShell(doc: WorkflowDocument, job: WorkflowJob | undefined, step: WorkflowStep): string | undefined {
  return (step.shell ?? job?.defaultShell ?? doc.defaultShell)?.value;
}

/** The trigger of `event`, if the workflow has it. */
export function trigger(doc: WorkflowDocument, event: string): WorkflowTrigger | undefined {
  return doc.triggers.find((t) => t.event === event);
}

const WORKFLOW_PATH = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const ACTION_PATH = /(?:^|\/)action\.ya?ml$/;

export const workflowDomain: PolicyDomain<WorkflowDocument> = {
  id: "workflow",
  files: "`.github/workflows/*.yml`, `action.yml`",
  matches: (path) => WORKFLOW_PATH.test(path) || ACTION_PATH.test(path),
  parse: (text, path) => parseWorkflow(text, path),
};

export function parseWorkflow(text: string, path: string): WorkflowDocument {
  const kind = WORKFLOW_PATH.test(path) ? "workflow" : "action";
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    if (error instanceof YamlError) throw new PolicyParseError(error.message, error.line);
    throw error;
  }
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return new ModelBuilder(parsed, source, path, kind).build();
}

type Path = readonly (string | number)[];

class ModelBuilder {
  constructor(
    private readonly parsed: ParsedYaml,
    private readonly source: string,
    private readonly path: string,
    private readonly kind: "workflow" | "action",
  ) {}

  build(): WorkflowDocument {
    const root = this.parsed.doc.contents;
    if (!isMap(root)) {
      throw new PolicyParseError(`a ${this.kind} file must be a YAML mapping${root ? "" : " (the file is empty)"}`, this.lineOf(root) ?? 1);
    }
    const lines = this.source.split(/\r?\n/);
    const base = {
      path: this.path,
      kind: this.kind,
      lines,
      yaml: this.parsed,
      ...this.optionalText(root, "name"),
    };
    if (this.kind === "action") {
      const runs = this.pairOf(root, "runs");
      if (!runs) throw new PolicyParseError("an action file has no `runs` (what the action executes)", this.lineOf(root) ?? 1);
      return { ...base, triggers: [], env: new Map(), jobs: [], runs: this.actionRuns(runs), inputs: this.actionInputs(root) };
    }
    const jobs = this.pairOf(root, "jobs");
    if (!jobs) throw new PolicyParseError("a workflow has no `jobs`", this.lineOf(root) ?? 1);
    if (!isMap(jobs.value)) throw new PolicyParseError("`jobs` must be a mapping of job ids to jobs", this.lineOf(jobs.key));
    const onPair = this.pairOf(root, "on");
    const triggers = onPair ? this.triggers(onPair) : [];
    const permissions = this.permissions(root);
    const defaultShell = this.defaultShell(root);
    return {
      ...base,
      triggers,
      ...(permissions ? { permissions } : {}),
      env: this.textMap(root, "env", ["env"]),
      ...(defaultShell ? { defaultShell } : {}),
      jobs: this.entries(jobs.value).map((pair) => this.job(pair)),
      inputs: this.triggerInputs(triggers, onPair),
    };
  }

  private job(pair: Pair): WorkflowJob {
    const id = keyText(pair);
    const line = this.lineOf(pair.key) ?? 1;
    const node = pair.value;
    if (!isMap(node)) throw new PolicyParseError(`job \`${id}\` must be a mapping`, this.lineOf(node) ?? line);
    const yamlPath = ["jobs", id];
    const usesPair = this.pairOf(node, "uses");
    const stepsPair = this.pairOf(node, "steps");
    const permissions = this.permissions(node);
    const runsOn = this.runsOn(node);
    const secrets = this.secrets(node, yamlPath);
    const defaultShell = this.defaultShell(node);
    const environment = this.environment(node);
    return {
      id,
      line,
      ...this.optionalText(node, "name"),
      ...(runsOn ? { runsOn } : {}),
      ...(permissions ? { permissions } : {}),
      env: this.textMap(node, "env", [...yamlPath, "env"]),
      ...this.optionalText(node, "if"),
      needs: this.stringList(this.pairOf(node, "needs")?.value),
      ...(environment ? { environment } : {}),
      ...(usesPair && isScalar(usesPair.value) ? { uses: scalarText(usesPair.value), usesLine: this.lineOf(usesPair.key) ?? line } : {}),
      with: this.textMap(node, "with", [...yamlPath, "with"]),
      ...(secrets ? { secrets } : {}),
      steps: stepsPair ? this.steps(stepsPair, id, [...yamlPath, "steps"]) : [],
      ...(defaultShell ? { defaultShell } : {}),
      raw: this.rawAt(yamlPath),
      yamlPath,
    };
  }

  private steps(pair: Pair, jobId: string, yamlPath: Path): WorkflowStep[] {
    if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return [];
    if (!isSeq(pair.value)) throw new PolicyParseError(`\`steps\` of \`${jobId}\` must be a list`, this.lineOf(pair.value) ?? this.lineOf(pair.key));
    const out: WorkflowStep[] = [];
    this.items(pair.value).forEach((item, position) => {
      const line = this.lineOf(item) ?? this.lineOf(pair.key) ?? 1;
      if (!isMap(item)) throw new PolicyParseError(`step ${position + 1} of \`${jobId}\` must be a mapping`, line);
      const group = this.pairOf(item, "parallel");
      if (group && isSeq(group.value)) {
        // A `parallel:` group's steps stand in its place; one level deep, as GitHub allows.
        this.items(group.value).forEach((nested, j) => {
          const nestedLine = this.lineOf(nested) ?? line;
          if (!isMap(nested)) throw new PolicyParseError(`step ${j + 1} of the parallel group of \`${jobId}\` must be a mapping`, nestedLine);
          out.push(this.step(nested, out.length, nestedLine, jobId, [...yamlPath, position, "parallel", j]));
        });
        return;
      }
      out.push(this.step(item, out.length, line, jobId, [...yamlPath, position]));
    });
    return out;
  }

  private step(item: YAMLMap, index: number, line: number, jobId: string, stepPath: Path): WorkflowStep {
    const usesPair = this.pairOf(item, "uses");
    const run = this.text(this.pairOf(item, "run"));
    const workingDirectory = this.text(this.pairOf(item, "working-directory"));
    return {
      index,
      line,
      jobId,
      ...this.optionalText(item, "id"),
      ...this.optionalText(item, "name"),
      ...(usesPair && isScalar(usesPair.value) ? { uses: scalarText(usesPair.value), usesLine: this.lineOf(usesPair.key) ?? line } : {}),
      with: this.textMap(item, "with", [...stepPath, "with"]),
      env: this.textMap(item, "env", [...stepPath, "env"]),
      ...(run ? { run } : {}),
      ...this.optionalText(item, "shell"),
      ...this.optionalText(item, "if"),
      ...(workingDirectory ? { workingDirectory } : {}),
      raw: this.rawAt(stepPath),
      yamlPath: stepPath,
    };
  }

  private triggers(onPair: Pair): WorkflowTrigger[] {
    const value = onPair.value;
    const keyLine = this.lineOf(onPair.key) ?? 1;
    if (isScalar(value)) {
      return value.value === null ? [] : [{ event: scalarText(value), line: this.lineOf(value) ?? keyLine, filters: new Map(), raw: null }];
    }
    if (isSeq(value)) {
      return this.items(value).filter(isScalar).map((item) => ({ event: scalarText(item), line: this.lineOf(item) ?? keyLine, filters: new Map(), raw: null }));
    }
    if (isMap(value)) {
      return this.entries(value).map((pair) => {
        const config = pair.value;
        const filters = new Map<string, readonly string[]>();
        if (isMap(config)) {
          for (const filter of this.entries(config)) {
            if (isScalar(filter.value) || isSeq(filter.value)) filters.set(keyText(filter), this.stringList(filter.value));
          }
        }
        return { event: keyText(pair), line: this.lineOf(pair.key) ?? keyLine, filters, raw: this.rawAt(["on", keyText(pair)]) ?? null };
      });
    }
    throw new PolicyParseError("`on` must be an event name, a list of events or a mapping of events", this.lineOf(value) ?? keyLine);
  }

  private triggerInputs(triggers: readonly WorkflowTrigger[], onPair: Pair | undefined): WorkflowInput[] {
    if (!onPair || !isMap(onPair.value)) return [];
    const inputs: WorkflowInput[] = [];
    for (const event of ["workflow_dispatch", "workflow_call"] as const) {
      if (!triggers.some((t) => t.event === event)) continue;
      const config = this.pairOf(onPair.value, event)?.value;
      const declared = isMap(config) ? this.pairOf(config, "inputs")?.value : undefined;
      if (isMap(declared)) inputs.push(...this.inputList(declared, event));
    }
    return inputs;
  }

  private actionInputs(root: YAMLMap): WorkflowInput[] {
    const declared = this.pairOf(root, "inputs")?.value;
    return isMap(declared) ? this.inputList(declared, "action") : [];
  }

  private inputList(declared: YAMLMap, source: WorkflowInput["source"]): WorkflowInput[] {
    return this.entries(declared).map((pair) => {
      const type = isMap(pair.value) ? this.pairOf(pair.value, "type")?.value : undefined;
      return {
        name: keyText(pair),
        line: this.lineOf(pair.key) ?? 1,
        ...(isScalar(type) ? { type: scalarText(type) } : {}),
        source,
      };
    });
  }

  private actionRuns(pair: Pair): ActionRuns {
    const line = this.lineOf(pair.key) ?? 1;
    const node = pair.value;
    if (!isMap(node)) throw new PolicyParseError("`runs` must be a mapping", this.lineOf(node) ?? line);
    const using = this.text(this.pairOf(node, "using"));
    const stepsPair = this.pairOf(node, "steps");
    return {
      line,
      ...(using ? { using } : {}),
      steps: stepsPair ? this.steps(stepsPair, "runs", ["runs", "steps"]) : [],
      raw: this.rawAt(["runs"]),
    };
  }

  private permissions(node: YAMLMap): WorkflowPermissions | undefined {
    const pair = this.pairOf(node, "permissions");
    if (!pair) return undefined;
    const line = this.lineOf(pair.key) ?? 1;
    if (isScalar(pair.value)) {
      // `permissions:` with nothing after it is null, which GitHub reads as no permissions, like `{}`.
      return pair.value.value === null ? { line, scopes: new Map() } : { line, all: scalarText(pair.value), scopes: new Map() };
    }
    if (pair.value === null) return { line, scopes: new Map() };
    if (!isMap(pair.value)) throw new PolicyParseError("`permissions` must be `read-all`, `write-all` or a mapping of scopes", this.lineOf(pair.value) ?? line);
    return { line, scopes: this.mapTexts(pair.value) };
  }

  private runsOn(node: YAMLMap): RunsOn | undefined {
    const pair = this.pairOf(node, "runs-on");
    if (!pair) return undefined;
    const line = this.lineOf(pair.key) ?? 1;
    const value = pair.value;
    if (isMap(value)) {
      const group = this.pairOf(value, "group")?.value;
      return {
        line,
        labels: this.stringList(this.pairOf(value, "labels")?.value),
        ...(isScalar(group) && group.value !== null ? { group: scalarText(group) } : {}),
      };
    }
    return { line, labels: this.stringList(value) };
  }

  private secrets(node: YAMLMap, yamlPath: Path): JobSecrets | undefined {
    const pair = this.pairOf(node, "secrets");
    if (!pair) return undefined;
    const line = this.lineOf(pair.key) ?? 1;
    if (isScalar(pair.value) && scalarText(pair.value) === "inherit") return { line, inherit: true, values: new Map() };
    return { line, inherit: false, values: this.textMap(node, "secrets", [...yamlPath, "secrets"]) };
  }

  private environment(node: YAMLMap): WorkflowText | undefined {
    const pair = this.pairOf(node, "environment");
    if (!pair) return undefined;
    if (isMap(pair.value)) return this.text(this.pairOf(pair.value, "name"));
    return this.text(pair);
  }

  private defaultShell(node: YAMLMap): WorkflowText | undefined {
    const defaults = this.pairOf(node, "defaults")?.value;
    const run = isMap(defaults) ? this.pairOf(defaults, "run")?.value : undefined;
    return isMap(run) ? this.text(this.pairOf(run, "shell")) : undefined;
  }

  private optionalText<K extends string>(node: YAMLMap, key: K): Partial<Record<K, WorkflowText>> {
    const text = this.text(this.pairOf(node, key));
    return text ? ({ [key]: text } as Record<K, WorkflowText>) : {};
  }

  private textMap(node: YAMLMap, key: string, yamlPath: Path): TextMap {
    const pair = this.pairOf(node, key);
    if (!pair || pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return new Map();
    // `env: ${{ fromJSON(...) }}` is allowed at job and step level; it gives no per-key values.
    if (isScalar(pair.value)) return new Map();
    if (!isMap(pair.value)) throw new PolicyParseError(`\`${yamlPath.join(".")}\` must be a mapping`, this.lineOf(pair.value) ?? this.lineOf(pair.key));
    return this.mapTexts(pair.value);
  }

  private mapTexts(map: YAMLMap): TextMap {
    const out = new Map<string, WorkflowText>();
    for (const pair of this.entries(map)) {
      const text = this.text(pair);
      if (text) out.set(keyText(pair), text);
    }
    return out;
  }

  /** The text of a pair's value; undefined when the pair is absent or its value is null. */
  private text(pair: Pair | undefined): WorkflowText | undefined {
    if (!pair) return undefined;
    const line = this.lineOf(pair.key) ?? this.lineOf(pair.value) ?? 1;
    const value = pair.value;
    if (value === null || value === undefined || (isScalar(value) && value.value === null)) return undefined;
    if (!isScalar(value)) {
      // A mapping or list where a string belongs (`with: { x: [1, 2] }`): its JSON, which is what GitHub passes on.
      let json = "";
      try {
        json = JSON.stringify(isNode(value) ? value.toJSON() : null) ?? "";
      } catch {
        // An alias the node cannot resolve on its own: no text rather than a crash.
      }
      return fixedText(json, line, this.lineOf(value) ?? line);
    }
    return this.scalarWithLines(value, line);
  }

  private scalarWithLines(node: Scalar, keyLine: number): WorkflowText {
    const value = scalarText(node);
    const range = node.range;
    if (!range) return fixedText(value, keyLine, keyLine);
    const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
    let start = range[0];
    if (block) {
      const headerEnd = this.source.indexOf("\n", start);
      start = headerEnd < 0 || headerEnd >= range[1] ? range[1] : headerEnd + 1;
    } else if (node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE") {
      start += 1;
    }
    const firstLine = this.parsed.lineCounter.linePos(start).line;
    return makeText(value, keyLine, firstLine, alignLines(value, this.source, start, range[1], firstLine));
  }

  private stringList(node: unknown): string[] {
    if (isScalar(node)) return node.value === null ? [] : [scalarText(node)];
    if (isSeq(node)) return this.items(node).filter(isScalar).map(scalarText);
    return [];
  }

  /** The plain data at `path` (aliases already expanded, within the parser's cap). */
  private rawAt(path: Path): unknown {
    let value: unknown = this.parsed.value;
    for (const key of path) {
      if (value === null || typeof value !== "object") return undefined;
      value = Object.prototype.hasOwnProperty.call(value, key) ? (value as Record<string | number, unknown>)[key] : undefined;
    }
    return value;
  }

  private pairOf(map: YAMLMap, key: string): Pair | undefined {
    return this.entries(map).find((pair) => keyText(pair) === key);
  }

  private entries(map: YAMLMap): Pair[] {
    return entries(map, this.parsed.doc);
  }

  private items(seq: { items: unknown[] }): unknown[] {
    return items(seq, this.parsed.doc);
  }

  private lineOf(node: unknown): number | undefined {
    return lineOfNode(this.parsed, node);
  }
}

interface Segment {
  readonly offset: number;
  readonly line: number;
}

/**
 * Where each source line's content sits in the scalar's value. The value is the source with
 * indentation removed and (for folded and flow scalars) line breaks turned into spaces, so each
 * non-empty source line, trimmed, appears in order with only whitespace between: one linear pass.
 * A line that does not appear as written (escapes in double quotes) is skipped and its offsets map
 * to the line before; the next line is looked for within the skipped line's length.
 */
function alignLines(value: string, source: string, start: number, end: number, firstLine: number): Segment[] {
  const segments: Segment[] = [];
  let cursor = 0;
  let skipped = 0;
  let line = firstLine;
  let lineStart = start;
  while (lineStart <= end) {
    let lineEnd = source.indexOf("\n", lineStart);
    if (lineEnd < 0 || lineEnd > end) lineEnd = end;
    let content = source.slice(lineStart, lineEnd).trim();
    // A closing quote is not part of the value (and a shorter prefix still matches where it is).
    if (lineEnd === end) content = content.replace(/["']$/, "");
    if (content.length > 0) {
      let at = cursor;
      while (at < value.length && isSpace(value.charCodeAt(at))) at++;
      // After a line that did not match (escapes shorten it), look ahead no further than it was long.
      const found = value.startsWith(content, at) ? at : skipped > 0 ? value.slice(at, at + skipped + content.length + 2).indexOf(content) : -1;
      if (found >= 0) {
        const offset = found === at ? at : at + found;
        segments.push({ offset, line });
        cursor = offset + content.length;
        skipped = 0;
      } else skipped += content.length + 1;
    }
    if (lineEnd >= end) break;
    lineStart = lineEnd + 1;
    line++;
  }
  return segments;
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function makeText(value: string, line: number, valueLine: number, segments: readonly Segment[]): WorkflowText {
  return {
    value,
    line,
    valueLine,
    lineAt(offset: number): number {
      let lo = 0;
      let hi = segments.length - 1;
      let found = valueLine;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const segment = segments[mid]!;
        if (segment.offset <= offset) {
          found = segment.line;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      return found;
    },
  };
}

function fixedText(value: string, line: number, valueLine: number): WorkflowText {
  return makeText(value, line, valueLine, []);
}

/** A mapping entry with its value's alias resolved (GitHub accepts anchors and aliases). */
interface Pair {
  readonly key: unknown;
  readonly value: unknown;
}

function entries(map: YAMLMap, doc: Document): Pair[] {
  return map.items.map((pair) => ({ key: pair.key, value: deref(pair.value, doc) }));
}

function items(seq: { items: unknown[] }, doc: Document): unknown[] {
  return seq.items.map((item) => deref(item, doc));
}

function deref(node: unknown, doc: Document): unknown {
  // An alias points at an anchored node, never at another alias; the bound is only a guard.
  let current = node;
  for (let i = 0; i < 4 && isAlias(current); i++) current = current.resolve(doc);
  return current;
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? scalarText(pair.key) : String(pair.key);
}

/** A scalar as the runner sees it: strings as they are, other scalars as their YAML text. */
function scalarText(node: Scalar): string {
  const value = node.value;
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return node.source ?? String(value);
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}
