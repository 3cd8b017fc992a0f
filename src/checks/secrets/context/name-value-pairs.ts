/**
 * Environment and parameter lists that hold the name in one field and the value in another:
 *   Kubernetes, Helm and Compose-style YAML  `- name: DD_API_KEY` / `  value: "…"` (either order);
 *   ECS task definitions, Kubernetes JSON, Terraform JSON  `{"name": "…", "value": "…"}`;
 *   Postman environments  `{"key": "…", "value": "…", "type": "secret"}`;
 *   HCL container definitions  `{ name = "…", value = "…" }`;
 * on one line or spread over several, any key casing (`Name`/`Value`).
 *
 * Only a field named exactly `value` is a value: `valueFrom:` / `secretKeyRef` point at a secret
 * stored elsewhere and hold none. References (`value: ${VAR}`, `$(VAR)`) are derived like any
 * value and left to the rules' own placeholder and reference filters.
 *
 * Which fields share an object: in JSON and HCL the braces say (nested objects are stepped over);
 * in YAML the indentation does (a sibling key sits at the same column, the next `- ` entry ends the
 * item, deeper lines belong to a nested value). The name is looked for at most
 * MAX_CONTEXT_DISTANCE lines away, in the same run of added lines.
 */
import type { AddedLine } from "../../../core/types.js";
import { MAX_CONTEXT_DISTANCE, type ContextView } from "./context-view.js";
import type { Field, FieldSyntax, FieldToken } from "./fields.js";
import { syntheticLine } from "./synthetic-line.js";
import { yamlLineShape } from "./yaml-line.js";

/** Lines that may hold a `value` field. */
const TRIGGER = /value/i;

const isNameKey = (key: string) => /^(?:name|key)$/i.test(key);
const isValueKey = (key: string) => /^value$/i.test(key);

export function nameValuePairLines(view: ContextView, syntax: FieldSyntax): AddedLine[] {
  const derived: AddedLine[] = [];
  for (const index of view.candidates(TRIGGER)) {
    const tokens = view.fields(index, syntax)!;
    tokens.forEach((token, at) => {
      if (token.type !== "field" || !isValueKey(token.key) || token.value === undefined) return;
      const name = nameOf(view, index, tokens, at, syntax);
      const line = name === undefined ? undefined : syntheticLine(name, token.value, view.lineNumber(index));
      if (line) derived.push(line);
    });
  }
  return derived;
}

/** The name field of the object that holds the value field `tokens[at]` of line `index`. */
function nameOf(view: ContextView, index: number, tokens: readonly FieldToken[], at: number, syntax: FieldSyntax): string | undefined {
  const before = scanFields(tokens, at - 1, 0, -1);
  if (before.name !== undefined) return before.name;
  const after = scanFields(tokens, at + 1, 0, 1);
  if (after.name !== undefined) return after.name;
  if (syntax === "yaml") return depthOf(tokens, at) === 0 ? yamlSiblingName(view, index) : undefined;
  if (!before.ended) {
    const name = braceName(view, index, before.depth, -1);
    if (name !== undefined) return name;
  }
  return after.ended ? undefined : braceName(view, index, after.depth, 1);
}

interface Scan {
  readonly name?: string;
  /** The object's boundary (or another value of the same object) was reached: look no further this way. */
  readonly ended: boolean;
  /** Nesting carried to the next line: brackets closed (backwards) or opened (forwards) and not yet matched. */
  readonly depth: number;
}

/** Right to left (-1, the fields before the value) or left to right (+1, those after it). */
type Direction = -1 | 1;

/**
 * Fields of the current object from `from` (inclusive) in `direction`, starting `depth` levels
 * inside nested brackets: brackets that close behind the search (open ahead of it) nest deeper.
 */
function scanFields(tokens: readonly FieldToken[], from: number, depth: number, direction: Direction): Scan {
  const deeper = direction === 1 ? "open" : "close";
  for (let t = from; t >= 0 && t < tokens.length; t += direction) {
    const token = tokens[t]!;
    if (token.type === deeper) depth++;
    else if (token.type === "open" || token.type === "close") {
      if (depth === 0) return { ended: true, depth };
      depth--;
    } else if (depth === 0) {
      const found = judge(token);
      if (found) return found;
    }
  }
  return { ended: false, depth };
}

/** A name field ends the search with its name; another value field ends it without one. */
function judge(field: Field): Scan | undefined {
  if (isNameKey(field.key) && field.value !== undefined) return { name: field.value, ended: true, depth: 0 };
  if (isValueKey(field.key)) return { ended: true, depth: 0 };
  return undefined;
}

/** The name field on the lines before (-1) or after (+1) the value's, within the same object. */
function braceName(view: ContextView, index: number, depth: number, direction: Direction): string | undefined {
  for (let j = index + direction; Math.abs(j - index) <= MAX_CONTEXT_DISTANCE && view.adjacent(index, j); j += direction) {
    const tokens = view.fields(j, "braces");
    if (tokens === undefined) return undefined;
    const scan = scanFields(tokens, direction === 1 ? 0 : tokens.length - 1, depth, direction);
    if (scan.name !== undefined || scan.ended) return scan.name;
    depth = scan.depth;
  }
  return undefined;
}

/** The `name:` (or `key:`) sibling of a YAML `value:` line: same column, same sequence entry. */
function yamlSiblingName(view: ContextView, index: number): string | undefined {
  const own = yamlLineShape(view.text(index)!);
  // Backwards to the entry's dash, unless the value line is the dash line itself; then forwards to the next entry.
  for (let j = index - 1; own.dashColumn === undefined && j >= index - MAX_CONTEXT_DISTANCE && view.adjacent(index, j); j--) {
    const step = yamlStep(view, j, own.keyColumn, "back");
    if (step.name !== undefined || step.stop) return step.name;
  }
  for (let j = index + 1; j <= index + MAX_CONTEXT_DISTANCE && view.adjacent(index, j); j++) {
    const step = yamlStep(view, j, own.keyColumn, "forward");
    if (step.name !== undefined || step.stop) return step.name;
  }
  return undefined;
}

/** One line of the walk from a YAML value to its name: a sibling's name, a boundary, or a line to pass over. */
function yamlStep(view: ContextView, j: number, column: number, direction: "back" | "forward"): { name?: string; stop: boolean } {
  const text = view.text(j);
  if (text === undefined) return { stop: true };
  const shape = yamlLineShape(text);
  if (shape.empty) return { stop: false };
  // Forwards, a dash left of the value's column starts the next entry (of this list or one further out).
  if (direction === "forward" && shape.dashColumn !== undefined && shape.dashColumn < column) return { stop: true };
  if (shape.keyColumn > column) return { stop: false };
  if (shape.keyColumn < column) return { stop: true };
  const field = view.fields(j, "yaml")!.find((token): token is Field => token.type === "field");
  const found = field && judge(field);
  if (found) return { name: found.name, stop: true };
  // Backwards, the entry's own dash line is as far as its fields go.
  return { stop: direction === "back" && shape.dashColumn !== undefined };
}

/** Brackets open around `tokens[at]` on its own line. */
function depthOf(tokens: readonly FieldToken[], at: number): number {
  let depth = 0;
  for (let t = 0; t < at; t++) {
    const token = tokens[t]!;
    if (token.type === "open") depth++;
    else if (token.type === "close" && depth > 0) depth--;
  }
  return depth;
}
