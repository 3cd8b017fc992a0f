/**
 * The key-by-key reference in docs/configuration.md, generated from the same JSON Schema editors
 * use, so the documentation cannot drift from what the loader accepts. `npm run schema` rewrites
 * the section between the markers; a test fails while it is stale.
 */
import type { Check } from "../types.js";
import { buildConfigJsonSchema } from "./json-schema.js";

export const REFERENCE_START = "<!-- generated: config reference (npm run schema) -->";
export const REFERENCE_END = "<!-- end of generated config reference -->";
export const CONFIGURATION_DOC_PATH = "docs/configuration.md";

interface JsonSchemaNode {
  type?: string;
  enum?: readonly unknown[];
  format?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchemaNode>;
  required?: readonly string[];
  items?: JsonSchemaNode;
  additionalProperties?: JsonSchemaNode | boolean;
  propertyNames?: JsonSchemaNode;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  maxItems?: number;
  maxLength?: number;
}

interface Row {
  readonly key: string;
  readonly type: string;
  readonly defaultValue: string;
  readonly description: string;
}

export function renderConfigReference(checks: readonly Check[]): string {
  const schema = buildConfigJsonSchema(checks) as JsonSchemaNode;
  const rows: Row[] = [];
  collect(schema, "", true, rows);
  const table = [
    "| Key | Type | Default | What it does |",
    "| --- | --- | --- | --- |",
    ...rows.map((r) => `| \`${r.key}\` | ${r.type} | ${r.defaultValue} | ${cell(r.description)} |`),
  ];
  const checkList =
    checks.length === 0
      ? ["No checks are registered in this build, so `checks` accepts no keys yet."]
      : checks.map((c) => `- \`checks.${c.meta.id}\`: ${cell(c.meta.title)} ([docs](checks/${c.meta.id}.md))`);
  return [REFERENCE_START, "", ...table, "", "Checks in this build:", "", ...checkList, "", REFERENCE_END].join("\n");
}

/** Replaces the generated section of the document (between the markers) with `reference`. */
export function replaceReference(document: string, reference: string): string {
  const start = document.indexOf(REFERENCE_START);
  const end = document.indexOf(REFERENCE_END);
  if (start < 0 || end < start) {
    throw new Error(`${CONFIGURATION_DOC_PATH} lacks the markers "${REFERENCE_START}" … "${REFERENCE_END}"`);
  }
  return document.slice(0, start) + reference + document.slice(end + REFERENCE_END.length);
}

function collect(node: JsonSchemaNode, path: string, required: boolean, rows: Row[]): void {
  if (path !== "") {
    rows.push({
      key: path,
      type: typeOf(node),
      defaultValue: node.default !== undefined ? `\`${JSON.stringify(node.default)}\`` : required ? "required" : "none",
      description: node.description ?? "",
    });
  }
  if (node.properties) {
    for (const [key, child] of Object.entries(node.properties)) {
      collect(child, path ? `${path}.${key}` : key, node.required?.includes(key) ?? false, rows);
    }
  } else if (node.type === "array" && node.items?.properties) {
    for (const [key, child] of Object.entries(node.items.properties)) {
      collect(child, `${path}[].${key}`, node.items.required?.includes(key) ?? false, rows);
    }
  }
}

function typeOf(node: JsonSchemaNode): string {
  if (node.enum) return node.enum.map((v) => `\`${JSON.stringify(v)}\``).join(", ");
  const bounds: string[] = [];
  if (node.minimum !== undefined) bounds.push(`≥ ${node.minimum}`);
  if (node.exclusiveMinimum !== undefined) bounds.push(`> ${node.exclusiveMinimum}`);
  if (node.maximum !== undefined) bounds.push(`≤ ${node.maximum}`);
  const bounded = (base: string) => (bounds.length > 0 ? `${base} (${bounds.join(", ")})` : base);
  switch (node.type) {
    case "array":
      return `list of ${node.items ? (node.items.properties ? "entries" : typeOf(node.items)) : "values"}`;
    case "object":
      if (node.propertyNames && typeof node.additionalProperties === "object") {
        return `map of ${node.propertyNames.enum ? "rule id" : "key"} to ${typeOf(node.additionalProperties)}`;
      }
      return "mapping";
    case "string":
      return node.format === "date" ? "date (YYYY-MM-DD)" : "string";
    case "integer":
      return bounded("integer");
    case "number":
      return bounded("number");
    case undefined:
      return "any";
    default:
      return node.type;
  }
}

/** Table cells: descriptions are ours (trusted), but a `|` or a newline would still break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
