/**
 * Every `${{ … }}` in a part of a workflow, with the file line it sits on, whatever key holds it:
 * the model names the fields most audits need (`run`, `with`, `env`), but a secret or
 * `toJSON(secrets)` can be written into any value (`container.env`, `services.*.options`, a reusable
 * workflow's `secrets:`, a matrix). Expressions are found in the scalar's source text, so a line is
 * the line the reader sees, inside block scalars too.
 *
 * Aliases are not followed (what they point at is visited where it is defined); the walk uses an
 * explicit stack, so nesting depth cannot overflow it.
 */
import { isMap, isPair, isScalar, isSeq, type Node } from "yaml";
import type { WorkflowDocument } from "../domains/workflow.js";
import { findExpressions } from "./expressions.js";

export interface LocatedExpression {
  /** The text between the braces. */
  readonly source: string;
  readonly line: number;
  /** The key path of the scalar that holds it, from the document root. */
  readonly path: readonly (string | number)[];
}

/** The YAML node at `path` (map keys and list indexes), if there is one. */
export function nodeAt(doc: WorkflowDocument, path: readonly (string | number)[]): unknown {
  return doc.yaml.doc.getIn(path, true);
}

/**
 * Expressions in every string under `path` (default: the whole document). With `mention`, only
 * strings that contain it (case-insensitive) are read: audits that look for one context skip the
 * rest of the document cheaply.
 */
export function expressionsUnder(doc: WorkflowDocument, path: readonly (string | number)[] = [], mention?: string): LocatedExpression[] {
  const needle = mention?.toLowerCase();
  const root = path.length === 0 ? doc.yaml.doc.contents : nodeAt(doc, path);
  const out: LocatedExpression[] = [];
  // Paths as parent links, built into arrays only for the scalars that hold an expression: hostile
  // nesting must not make the walk quadratic.
  const stack: { node: unknown; at: PathLink | undefined }[] = [{ node: root, at: undefined }];
  while (stack.length > 0) {
    const { node, at } = stack.pop()!;
    if (isScalar(node)) {
      if (typeof node.value === "string" && node.value.includes("${{") && (needle === undefined || node.value.toLowerCase().includes(needle))) out.push(...expressionsInScalar(doc, node, [...path, ...toPath(at)]));
    } else if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "?";
        stack.push({ node: pair.value, at: { parent: at, key } });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: isPair(item) ? item.value : item, at: { parent: at, key: i } }));
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

interface PathLink {
  readonly parent: PathLink | undefined;
  readonly key: string | number;
}

function toPath(link: PathLink | undefined): (string | number)[] {
  const out: (string | number)[] = [];
  for (let l = link; l; l = l.parent) out.push(l.key);
  return out.reverse();
}

function expressionsInScalar(doc: WorkflowDocument, node: Node, path: readonly (string | number)[]): LocatedExpression[] {
  const slice = sourceOf(doc, node);
  if (!slice) {
    // No position (should not happen for parsed nodes): the value itself, on the key's line.
    const value = isScalar(node) ? String(node.value) : "";
    return findExpressions(value).map((e) => ({ source: e.source, line: 1, path }));
  }
  return findExpressions(slice.text).map((e) => ({ source: e.source, line: slice.lineOf(e.start), path }));
}

interface SourceSlice {
  readonly text: string;
  lineOf(offset: number): number;
}

/** The node's source text, lines joined with `\n`, and the file line of an offset in it. */
function sourceOf(doc: WorkflowDocument, node: Node): SourceSlice | undefined {
  const range = node.range;
  if (!range) return undefined;
  const start = doc.yaml.lineCounter.linePos(range[0]);
  const end = doc.yaml.lineCounter.linePos(range[1]);
  const parts: string[] = [];
  const starts: number[] = [];
  let length = 0;
  for (let line = start.line; line <= end.line; line++) {
    const text = doc.lines[line - 1] ?? "";
    const from = line === start.line ? start.col - 1 : 0;
    const to = line === end.line ? end.col - 1 : text.length;
    starts.push(length);
    const part = text.slice(from, Math.max(from, to));
    parts.push(part);
    length += part.length + 1;
  }
  return {
    text: parts.join("\n"),
    lineOf(offset) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return start.line + lo;
    },
  };
}
