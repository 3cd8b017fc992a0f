/**
 * Reading what a Terraform file says for sure. An audit may judge only what the file itself fixes:
 * `storage_encrypted = false` is a fact, `storage_encrypted = var.encrypted` is decided at plan
 * time and is not judged. Terraform converts between primitive types (`"true"` is a bool where a
 * bool is expected, `"22"` a number), so the readers here accept both spellings.
 */
import type { HclAttribute, HclBlock, HclBody, HclExpression } from "./hcl.js";

export type HclValue = string | number | boolean | null | readonly HclValue[] | { readonly [key: string]: HclValue };

/** An attribute as an audit sees it: not set, set to a value the file fixes, or set to an expression. */
export type AttributeReading<T> =
  | { readonly state: "absent" }
  | { readonly state: "known"; readonly value: T; readonly attribute: HclAttribute }
  | { readonly state: "unknown"; readonly attribute: HclAttribute; readonly expression: string };

export function attribute(body: HclBody, name: string): HclAttribute | undefined {
  for (const item of body.items) if (item.kind === "attribute" && item.name === name) return item;
  return undefined;
}

/** Nested blocks of one type, in order (`ingress`, `statement`, `dynamic`). */
export function blocks(body: HclBody, type: string): HclBlock[] {
  const found: HclBlock[] = [];
  for (const item of body.items) if (item.kind === "block" && item.type === type) found.push(item);
  return found;
}

function unwrap(expr: HclExpression): HclExpression {
  let e = expr;
  while (e.kind === "parens") e = e.expression;
  return e;
}

/** The value of an expression made only of literals, lists and objects with plain keys; else undefined. */
export function literalValue(expr: HclExpression): HclValue | undefined {
  const e = unwrap(expr);
  switch (e.kind) {
    case "literal":
      return e.value;
    case "tuple": {
      const items: HclValue[] = [];
      for (const item of e.items) {
        const v = literalValue(item);
        if (v === undefined) return undefined;
        items.push(v);
      }
      return items;
    }
    case "object": {
      const out: Record<string, HclValue> = {};
      for (const item of e.items) {
        const v = literalValue(item.value);
        if (item.name === undefined || v === undefined) return undefined;
        out[item.name] = v;
      }
      return out;
    }
    case "operation":
      // A negative number is a unary minus on a literal.
      if (e.operator === "-" && e.operands.length === 1) {
        const v = literalValue(e.operands[0]!);
        return typeof v === "number" ? -v : undefined;
      }
      return undefined;
    default:
      return undefined;
  }
}

export function stringOf(expr: HclExpression): string | undefined {
  const v = literalValue(expr);
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return undefined;
}

export function boolOf(expr: HclExpression): boolean | undefined {
  const v = literalValue(expr);
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

export function numberOf(expr: HclExpression): number | undefined {
  const v = literalValue(expr);
  if (typeof v === "number") return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

/** `var.encrypted`, `local.x`, `aws_vpc.main.id`, `module.a.b[0]`: a reference's own text; else undefined. */
export function referenceText(expr: HclExpression): string | undefined {
  const e = unwrap(expr);
  if (e.kind === "variable") return e.name;
  if (e.kind !== "traversal" || e.source.kind !== "variable") return undefined;
  let text = e.source.name;
  for (const step of e.steps) {
    if (step.kind === "attr") text += `.${step.name}`;
    else if (step.kind === "splat") text += "[*]";
    else {
      const key = literalValue(step.key);
      text += typeof key === "number" ? `[${key}]` : typeof key === "string" ? `["${key}"]` : "[…]";
    }
  }
  return text;
}

/** How to name an expression the audit cannot judge: its reference, or its kind. */
export function describeExpression(expr: HclExpression): string {
  const ref = referenceText(expr);
  if (ref !== undefined) return ref;
  const e = unwrap(expr);
  switch (e.kind) {
    case "call":
      return `${e.name}(…)`;
    case "conditional":
      return "a conditional";
    case "template":
      return "a template";
    case "for":
      return "a for expression";
    default:
      return "an expression";
  }
}

function reading<T>(body: HclBody, name: string, read: (expr: HclExpression) => T | undefined): AttributeReading<T> {
  const attr = attribute(body, name);
  if (attr === undefined) return { state: "absent" };
  const value = read(attr.value);
  if (value === undefined) {
    // `null` means "not set" in Terraform: the provider's default applies.
    if (literalValue(attr.value) === null) return { state: "absent" };
    return { state: "unknown", attribute: attr, expression: describeExpression(attr.value) };
  }
  return { state: "known", value, attribute: attr };
}

export function readBool(body: HclBody, name: string): AttributeReading<boolean> {
  return reading(body, name, boolOf);
}

export function readString(body: HclBody, name: string): AttributeReading<string> {
  return reading(body, name, stringOf);
}

export function readNumber(body: HclBody, name: string): AttributeReading<number> {
  return reading(body, name, numberOf);
}

/** One element of a list attribute: its literal string, or undefined for an expression. */
export interface ListElement {
  readonly value: string | undefined;
  readonly line: number;
}

/**
 * The elements of a list (`["0.0.0.0/0", var.office]`), each with its line; a lone string counts
 * as a list of one (IAM's `"Action": "*"`). Undefined when the whole value is an expression
 * (`var.cidrs`, `concat(…)`), whose elements the file does not fix.
 */
export function listElements(expr: HclExpression): ListElement[] | undefined {
  const e = unwrap(expr);
  if (e.kind === "tuple") return e.items.map((item) => ({ value: stringOf(item), line: item.line }));
  const single = stringOf(e);
  return single === undefined ? undefined : [{ value: single, line: e.line }];
}

/** An attribute that nobody has set, or set to null, is absent. */
export function isSet(body: HclBody, name: string): boolean {
  const attr = attribute(body, name);
  return attr !== undefined && literalValue(attr.value) !== null;
}

/**
 * Every reference inside an expression (`var.x`, `aws_iam_policy.boundary.arn`,
 * `data.aws_iam_policy_document.d.json`), in template parts, collections, calls and operations
 * alike. Depth is bounded by the parser's nesting limit.
 */
export function referencesIn(expr: HclExpression, out: string[] = []): string[] {
  const e = expr;
  switch (e.kind) {
    case "variable":
    case "traversal": {
      const ref = referenceText(e);
      if (ref !== undefined) out.push(ref);
      if (e.kind === "traversal") {
        if (ref === undefined) referencesIn(e.source, out);
        for (const step of e.steps) if (step.kind === "index") referencesIn(step.key, out);
      }
      break;
    }
    case "template":
      for (const part of e.parts) {
        if (part.kind === "directive") {
          if (part.expression) referencesIn(part.expression, out);
        } else referencesIn(part, out);
      }
      break;
    case "tuple":
      for (const item of e.items) referencesIn(item, out);
      break;
    case "object":
      for (const item of e.items) {
        referencesIn(item.key, out);
        referencesIn(item.value, out);
      }
      break;
    case "call":
      for (const arg of e.args) referencesIn(arg, out);
      break;
    case "operation":
      for (const operand of e.operands) referencesIn(operand, out);
      break;
    case "conditional":
      referencesIn(e.condition, out);
      referencesIn(e.then, out);
      referencesIn(e.else, out);
      break;
    case "for":
      referencesIn(e.collection, out);
      if (e.key) referencesIn(e.key, out);
      referencesIn(e.value, out);
      if (e.condition) referencesIn(e.condition, out);
      break;
    case "parens":
      referencesIn(e.expression, out);
      break;
    case "literal":
      break;
  }
  return out;
}
