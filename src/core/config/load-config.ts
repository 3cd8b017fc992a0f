/**
 * Turns config text or an already-parsed object into a validated `PrSentinelConfig`, or a
 * `ConfigError` whose every line names the key path and, for text, the line in the file.
 * Config comes from repositories and is hostile input: YAML aliases are capped and the size is bounded.
 */
import { LineCounter, parseDocument, isNode, type Document } from "yaml";
import type { z } from "zod";
import type { Check } from "../types.js";
import { buildConfigSchema, type PrSentinelConfig } from "./schema.js";

export const CONFIG_PATH = ".github/pr-sentinel.yml";
const MAX_CONFIG_BYTES = 256 * 1024;

export class ConfigError extends Error {
  constructor(
    /** Where the config came from, e.g. `.github/pr-sentinel.yml`. */
    readonly source: string,
    /** One line each: "`checks.secrets.entropy` (line 4): expected number, received string". */
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
  // maxAliasCount guards against "billion laughs" alias expansion.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      source,
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        return `invalid YAML${pos ? ` at line ${pos.line}, column ${pos.col}` : ""}: ${e.message.split("\n")[0]}`;
      }),
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
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
    throw new ConfigError(source, ["the top level must be a mapping of keys (fail_on, paths, checks, …)"]);
  }
  const result = buildConfigSchema(checks).safeParse(value);
  if (!result.success) {
    throw new ConfigError(source, formatIssues(result.error.issues, value, positions));
  }
  return result.data as unknown as PrSentinelConfig;
}

function formatIssues(issues: readonly z.core.$ZodIssue[], root: unknown, positions?: YamlPositions): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String);
    let keyPath = path.join(".");
    let message = issue.message;
    if (issue.code === "unrecognized_keys") {
      const known = issue.keys.map((k) => [...path, k].join("."));
      keyPath = known.join("`, `");
      message = `unknown key${issue.keys.length > 1 ? "s" : ""}; check the spelling against the JSON Schema (schema/pr-sentinel.schema.json)`;
    } else if (issue.code === "invalid_type" || issue.code === "invalid_value") {
      message = `${message}, got ${describeValue(valueAt(root, issue.path))}`;
    }
    const line = positions ? lineOf(positions, issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path) : undefined;
    const where = keyPath === "" ? "(top level)" : `\`${keyPath}\``;
    return `${where}${line ? ` (line ${line})` : ""}: ${message}`;
  });
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
  const json = JSON.stringify(value);
  if (json === undefined) return typeof value;
  return json.length > 40 ? `${json.slice(0, 37)}...` : json;
}

function lineOf({ doc, lineCounter }: YamlPositions, path: readonly PropertyKey[]): number | undefined {
  // Walk up the path until a node with a position exists (a missing key points at its parent).
  for (let depth = path.length; depth >= 0; depth--) {
    const keys = path.slice(0, depth).map((k) => (typeof k === "symbol" ? String(k) : k));
    const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
    if (isNode(node) && node.range) {
      return lineCounter.linePos(node.range[0]).line;
    }
  }
  return undefined;
}
