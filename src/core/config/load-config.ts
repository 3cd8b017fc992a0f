/**
 * Turns config text or an already-parsed object into a validated `PrSentinelConfig`, or a
 * `ConfigError` whose every line names the key path and, for text, the line in the file.
 * Config comes from repositories and is hostile input: YAML aliases are capped and the size is bounded.
 */
import { LineCounter, parseDocument, isMap, isNode, isScalar, isSeq, type Document } from "yaml";
import type { z } from "zod";
import type { Check } from "../types.js";
import { buildConfigSchema, type PrSentinelConfig } from "./schema.js";
import { closestKey, knownKeysAt } from "./known-keys.js";

export const CONFIG_PATH = ".github/pr-sentinel.yml";
export const SCHEMA_PATH = "schema/pr-sentinel.schema.json";
export const MAX_CONFIG_BYTES = 256 * 1024;
// Guards against "billion laughs": a few aliases are normal, expanding thousands is an attack.
const MAX_ALIAS_COUNT = 100;

export class ConfigError extends Error {
  constructor(
    /** Where the config came from, e.g. `.github/pr-sentinel.yml`. */
    readonly source: string,
    /** One line each: "`checks.secrets.entropy` (line 4): expected number, got "high"". */
    readonly problems: readonly string[],
  ) {
    super(`invalid config ${source}: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

export function configFromText(text: string, source: string, checks: readonly Check[]): PrSentinelConfig {
  if (Buffer.byteLength(text) > MAX_CONFIG_BYTES) {
    throw new ConfigError(source, [`the file is larger than ${MAX_CONFIG_BYTES / 1024} KiB`]);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        const what = e.code === "DUPLICATE_KEY" ? "duplicate key" : "invalid YAML";
        return `${what} at line ${pos.line}, column ${pos.col}: ${e.message.split("\n")[0]}`;
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    throw new ConfigError(source, [`invalid YAML: ${(error as Error).message}`]);
  }
  return configFromObject(value, source, checks, { doc, lineCounter });
}

interface YamlPositions {
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

export function configFromObject(
  value: unknown,
  source: string,
  checks: readonly Check[],
  positions?: YamlPositions,
): PrSentinelConfig {
  if (value === null || value === undefined) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    const line = positions ? lineOf(positions, []) : undefined;
    throw new ConfigError(source, [
      `(top level)${line ? ` (line ${line})` : ""}: expected a mapping of keys (fail_on, paths, checks, …), got ${Array.isArray(value) ? "a list" : describeValue(value)}`,
    ]);
  }
  const schema = buildConfigSchema(checks);
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(source, formatIssues(result.error.issues, value, schema, positions));
  }
  return result.data as unknown as PrSentinelConfig;
}

function formatIssues(
  issues: readonly z.core.$ZodIssue[],
  root: unknown,
  schema: z.ZodType,
  positions?: YamlPositions,
): string[] {
  return issues.map((issue) => {
    const value = valueAt(root, issue.path);
    let keyPath = formatPath(issue.path);
    let linePath: readonly PropertyKey[] = issue.path;
    let message: string;
    switch (issue.code) {
      case "unrecognized_keys": {
        keyPath = issue.keys.map((k) => formatPath([...issue.path, k])).join("`, `");
        linePath = [...issue.path, issue.keys[0]!];
        const known = knownKeysAt(schema, issue.path);
        const suggestion = issue.keys.length === 1 ? closestKey(issue.keys[0]!, known) : undefined;
        message =
          `unknown key${issue.keys.length > 1 ? "s" : ""}` +
          (suggestion ? `; did you mean \`${suggestion}\`?` : "") +
          (known.length > 0 ? `; known keys here: ${listKeys(known)}` : "") +
          ` (see ${SCHEMA_PATH})`;
        break;
      }
      case "invalid_type":
        message =
          value === undefined
            ? `required key is missing (expected ${issue.expected})`
            : `expected ${issue.expected}, got ${describeValue(value)}`;
        break;
      case "custom":
        // A refinement's message already says what is wrong with this key.
        message = issue.message;
        break;
      default:
        message = value === undefined ? issue.message : `${issue.message}, got ${describeValue(value)}`;
    }
    const line = positions ? lineOf(positions, linePath) : undefined;
    const where = keyPath === "" ? "(top level)" : `\`${keyPath}\``;
    return `${where}${line ? ` (line ${line})` : ""}: ${message}`;
  });
}

/** A long list (a check's rule ids) is cut: the JSON Schema has all of them. */
function listKeys(keys: readonly string[], max = 15): string {
  return keys.length <= max ? keys.join(", ") : `${keys.slice(0, max).join(", ")}, … (${keys.length - max} more)`;
}

/** `allowlist[0].reason`, `checks.secrets.entropy`: how people write paths into YAML. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cursor: unknown = root;
  for (const key of path) {
    if (cursor === null || typeof cursor !== "object") return undefined;
    cursor = (cursor as Record<PropertyKey, unknown>)[key];
  }
  return cursor;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null (an empty value)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const json = JSON.stringify(value);
  if (json === undefined) return typeof value;
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}

/**
 * The line of the key at `path` (of its key, not its value, which for a block list or mapping sits
 * on the next line). A path that does not exist in the file, such as a missing required key, points
 * at the deepest part that does.
 */
function lineOf({ doc, lineCounter }: YamlPositions, path: readonly PropertyKey[]): number | undefined {
  const lineAt = (node: unknown) => (isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined);
  let node: unknown = doc.contents;
  let line = lineAt(node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) break;
      line = lineAt(pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      line = lineAt(node) ?? line;
    } else break;
  }
  return line;
}
