/**
 * Turns config text or an already-parsed object into a validated `PrSentinelConfig`, or a
 * `ConfigError` whose every line names the key path and, for text, the line in the file.
 * Config comes from repositories and is hostile input: YAML aliases are capped and the size is bounded.
 */
import type { z } from "zod";
import type { Check } from "../types.js";
import { lineOfPath, parseYaml, YamlError, type ParsedYaml } from "../yaml.js";
import { buildConfigSchema, type PrSentinelConfig } from "./schema.js";
import { closestKey, knownKeysAt } from "./known-keys.js";

export const CONFIG_PATH = ".github/pr-sentinel.yml";
export const SCHEMA_PATH = "schema/pr-sentinel.schema.json";
export const MAX_CONFIG_BYTES = 256 * 1024;

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
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(source, error instanceof YamlError ? error.problems : [`invalid YAML: ${(error as Error).message}`]);
  }
  return configFromObject(parsed.value ?? {}, source, checks, parsed);
}

type YamlPositions = Pick<ParsedYaml, "doc" | "lineCounter">;

export function configFromObject(
  value: unknown,
  source: string,
  checks: readonly Check[],
  positions?: YamlPositions,
): PrSentinelConfig {
  if (value === null || value === undefined) value = {};
  if (typeof value !== "object" || Array.isArray(value)) {
    const line = positions ? lineOfPath(positions, []) : undefined;
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
    const line = positions ? lineOfPath(positions, linePath) : undefined;
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
