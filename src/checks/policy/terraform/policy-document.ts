/**
 * AWS policy documents as Terraform writes them, read into one shape with lines: `jsonencode({…})`
 * objects, JSON in heredocs and strings, and `data "aws_iam_policy_document"` statement blocks.
 * IAM and S3 audits judge statements, not spellings.
 *
 * Format facts (AWS IAM JSON policy reference): `Statement` is one object or a list; `Action`,
 * `Resource` and their `Not` forms are a string or a list; `Effect` is `Allow` or `Deny`; a
 * `Principal` makes it a resource policy (bucket, key, trust policy), which identity policies
 * cannot have. In `aws_iam_policy_document`, `effect` defaults to `Allow` and `principals` blocks
 * hold `type` and `identifiers`.
 *
 * Limits: only what the file fixes. A policy from `file(…)`, `templatefile(…)`, a variable, a
 * `for` expression or JSON that does not parse once interpolations are blanked is not read. A
 * heredoc's interpolations become a placeholder, so a value that holds one is not a literal.
 */
import { parseTree, type Node as JsonNode, type ParseError } from "jsonc-parser";
import type { HclBody, HclDirective, HclExpression } from "./hcl.js";
import { attribute, blocks, listElements, literalValue, stringOf } from "./values.js";

export interface PolicyString {
  readonly value: string;
  readonly line: number;
}

/** A list field: the strings the file fixes, and whether some element is an expression. */
export interface PolicyField {
  readonly line: number;
  readonly values: readonly PolicyString[];
  readonly hasUnknown: boolean;
}

export interface PolicyStatement {
  /** 0-based position in the document. */
  readonly index: number;
  readonly sid?: string;
  readonly line: number;
  /** `Allow` or `Deny` as written; undefined when it is an expression. */
  readonly effect: string | undefined;
  readonly actions?: PolicyField;
  readonly notActions?: PolicyField;
  readonly resources?: PolicyField;
  readonly notResources?: PolicyField;
  /** The statement names a principal (a resource policy). */
  readonly hasPrincipal: boolean;
  /** Where the principal is everyone (`"*"`, `{"AWS": "*"}`, a `principals` block of `*`). */
  readonly publicPrincipal?: PolicyString;
  /** The statement has a condition (or one that is an expression). */
  readonly hasCondition: boolean;
}

const PLACEHOLDER = "${…}";
/** Policies nest four or five levels; the JSON parser recurses, so deeper text is not read. */
const MAX_JSON_DEPTH = 64;

/** A neutral tree for HCL objects and JSON alike. */
type PolicyNode =
  | { readonly kind: "string"; readonly value: string; readonly line: number }
  | { readonly kind: "list"; readonly items: readonly PolicyNode[]; readonly line: number }
  | { readonly kind: "map"; readonly entries: ReadonlyMap<string, { readonly node: PolicyNode; readonly line: number }>; readonly line: number }
  | { readonly kind: "other"; readonly line: number }
  | { readonly kind: "unknown"; readonly line: number };

/**
 * The statements of a policy-valued expression (`jsonencode({…})`, a heredoc, a JSON string);
 * undefined when the file does not fix the document.
 */
export function statementsOfExpression(expr: HclExpression): PolicyStatement[] | undefined {
  let e = expr;
  while (e.kind === "parens") e = e.expression;
  let root: PolicyNode | undefined;
  if (e.kind === "call" && e.name === "jsonencode" && e.args.length === 1 && !e.expandFinal) root = fromHcl(e.args[0]!);
  else if (e.kind === "literal" && typeof e.value === "string") root = fromJsonText(e.value, e.heredoc ? [{ offset: 0, line: e.heredoc.contentLine }] : undefined, e.line);
  else if (e.kind === "template" && e.heredoc) root = fromTemplate(e.parts, e.heredoc.contentLine);
  else if (e.kind === "template") {
    // A quoted JSON string with interpolations sits on one line.
    const { text } = render(e.parts);
    root = fromJsonText(text, undefined, e.line);
  }
  if (root === undefined || root.kind !== "map") return undefined;
  const statement = root.entries.get("Statement");
  if (statement === undefined) return undefined;
  const list = statement.node.kind === "list" ? statement.node.items : [statement.node];
  const out: PolicyStatement[] = [];
  list.forEach((node, index) => {
    if (node.kind === "map") out.push(jsonStatement(node, index));
  });
  return out;
}

function jsonStatement(node: Extract<PolicyNode, { kind: "map" }>, index: number): PolicyStatement {
  const field = (name: string): PolicyField | undefined => {
    const entry = node.entries.get(name);
    if (entry === undefined) return undefined;
    const items = entry.node.kind === "list" ? entry.node.items : [entry.node];
    const values: PolicyString[] = [];
    let hasUnknown = false;
    for (const item of items) {
      if (item.kind === "string" && !item.value.includes(PLACEHOLDER)) values.push({ value: item.value, line: item.line });
      else hasUnknown = true;
    }
    return { line: entry.line, values, hasUnknown };
  };
  const effectNode = node.entries.get("Effect")?.node;
  const principal = node.entries.get("Principal");
  const sid = node.entries.get("Sid")?.node;
  return {
    index,
    ...(sid?.kind === "string" ? { sid: sid.value } : {}),
    line: node.line,
    effect: effectNode?.kind === "string" && !effectNode.value.includes(PLACEHOLDER) ? effectNode.value : undefined,
    ...optional("actions", field("Action")),
    ...optional("notActions", field("NotAction")),
    ...optional("resources", field("Resource")),
    ...optional("notResources", field("NotResource")),
    hasPrincipal: principal !== undefined,
    ...optional("publicPrincipal", principal === undefined ? undefined : publicJsonPrincipal(principal.node)),
    hasCondition: node.entries.has("Condition"),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** `"*"`, `{"AWS": "*"}` or `{"AWS": ["*"]}`: anyone, signed in or not. */
function publicJsonPrincipal(node: PolicyNode): PolicyString | undefined {
  if (node.kind === "string") return node.value === "*" ? { value: "*", line: node.line } : undefined;
  if (node.kind !== "map") return undefined;
  const aws = node.entries.get("AWS")?.node;
  if (aws === undefined) return undefined;
  const items = aws.kind === "list" ? aws.items : [aws];
  for (const item of items) if (item.kind === "string" && item.value === "*") return { value: "*", line: item.line };
  return undefined;
}

/** The statements of a `data "aws_iam_policy_document"` body. */
export function statementsOfPolicyDocument(body: HclBody): PolicyStatement[] {
  return blocks(body, "statement").map((block, index) => {
    const b = block.body;
    const field = (name: string): PolicyField | undefined => {
      const attr = attribute(b, name);
      if (attr === undefined || literalValue(attr.value) === null) return undefined;
      const elements = listElements(attr.value);
      if (elements === undefined) return { line: attr.line, values: [], hasUnknown: true };
      const values: PolicyString[] = [];
      let hasUnknown = false;
      for (const el of elements) {
        if (el.value === undefined) hasUnknown = true;
        else values.push({ value: el.value, line: el.line });
      }
      return { line: attr.line, values, hasUnknown };
    };
    const effectAttr = attribute(b, "effect");
    // `effect` defaults to Allow; an expression is not judged.
    const effect = effectAttr === undefined || literalValue(effectAttr.value) === null ? "Allow" : stringOf(effectAttr.value);
    const sid = attribute(b, "sid");
    const principals = [...blocks(b, "principals"), ...blocks(b, "not_principals")];
    const dynamicPrincipals = blocks(b, "dynamic").filter((d) => d.labels[0] === "principals" || d.labels[0] === "not_principals");
    const conditions = blocks(b, "condition").length + blocks(b, "dynamic").filter((d) => d.labels[0] === "condition").length;
    let publicPrincipal: PolicyString | undefined;
    for (const p of blocks(b, "principals")) {
      const typeAttr = attribute(p.body, "type");
      const type = typeAttr === undefined ? undefined : stringOf(typeAttr.value);
      if (type !== "*" && type !== "AWS") continue;
      const ids = attribute(p.body, "identifiers");
      const star = ids === undefined ? undefined : listElements(ids.value)?.find((el) => el.value === "*");
      if (star !== undefined) publicPrincipal = { value: "*", line: star.line };
    }
    const sidValue = sid === undefined ? undefined : stringOf(sid.value);
    return {
      index,
      ...(sidValue !== undefined ? { sid: sidValue } : {}),
      line: block.line,
      effect,
      ...optional("actions", field("actions")),
      ...optional("notActions", field("not_actions")),
      ...optional("resources", field("resources")),
      ...optional("notResources", field("not_resources")),
      hasPrincipal: principals.length + dynamicPrincipals.length > 0,
      ...optional("publicPrincipal", publicPrincipal),
      hasCondition: conditions > 0,
    };
  });
}

// -- HCL objects (jsonencode)

function fromHcl(expr: HclExpression): PolicyNode {
  let e = expr;
  while (e.kind === "parens") e = e.expression;
  switch (e.kind) {
    case "literal":
      return typeof e.value === "string" ? { kind: "string", value: e.value, line: e.line } : { kind: "other", line: e.line };
    case "tuple":
      return { kind: "list", items: e.items.map(fromHcl), line: e.line };
    case "object": {
      const entries = new Map<string, { node: PolicyNode; line: number }>();
      for (const item of e.items) {
        if (item.name === undefined) continue;
        entries.set(item.name, { node: fromHcl(item.value), line: item.line });
      }
      return { kind: "map", entries, line: e.line };
    }
    default: {
      const v = literalValue(e);
      return v === undefined ? { kind: "unknown", line: e.line } : { kind: "other", line: e.line };
    }
  }
}

// -- JSON text (heredocs and strings)

interface Segment {
  /** Offset in the rendered text. */
  readonly offset: number;
  /** Source line of that offset. */
  readonly line: number;
}

function render(parts: readonly (HclExpression | HclDirective)[]): { text: string; segments: Segment[] } {
  let text = "";
  const segments: Segment[] = [];
  for (const part of parts) {
    segments.push({ offset: text.length, line: part.line });
    text += part.kind === "literal" && typeof part.value === "string" ? part.value : PLACEHOLDER;
  }
  return { text, segments };
}

function fromTemplate(parts: readonly (HclExpression | HclDirective)[], contentLine: number): PolicyNode | undefined {
  const { text, segments } = render(parts);
  return fromJsonText(text, segments, contentLine);
}

/**
 * JSON text to a policy tree. With `segments` (heredocs) lines follow the text; without (quoted
 * strings, whose escapes may hold `\n`) every node is on `line`.
 */
function fromJsonText(text: string, segments: readonly Segment[] | undefined, line: number): PolicyNode | undefined {
  if (!text.trimStart().startsWith("{") || jsonDepth(text) > MAX_JSON_DEPTH) return undefined;
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false });
  if (tree === undefined || errors.length > 0) return undefined;
  const lineAt = segments === undefined ? () => line : lineMapper(text, segments);
  const convert = (node: JsonNode): PolicyNode => {
    const at = lineAt(node.offset);
    switch (node.type) {
      case "string":
        return { kind: "string", value: String(node.value), line: at };
      case "array":
        return { kind: "list", items: (node.children ?? []).map(convert), line: at };
      case "object": {
        const entries = new Map<string, { node: PolicyNode; line: number }>();
        for (const prop of node.children ?? []) {
          const [key, value] = prop.children ?? [];
          if (key === undefined || value === undefined) continue;
          entries.set(String(key.value), { node: convert(value), line: lineAt(key.offset) });
        }
        return { kind: "map", entries, line: at };
      }
      default:
        return { kind: "other", line: at };
    }
  };
  return convert(tree);
}

/** Offset in rendered text → source line, through the segments' lines and the newlines since. */
function lineMapper(text: string, segments: readonly Segment[]): (offset: number) => number {
  const newlines: number[] = [];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) newlines.push(i);
  const countBefore = (offset: number) => {
    let lo = 0;
    let hi = newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (newlines[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (offset) => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segments[mid]!.offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    const seg = segments[lo]!;
    return seg.line + countBefore(offset) - countBefore(seg.offset);
  };
}

/** The deepest bracket nesting of JSON text, strings skipped; one pass. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}
