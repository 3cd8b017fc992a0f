/**
 * HCL2 native syntax with line positions, for the Terraform audits: a finding must sit on the line
 * of `cidr_blocks = ["0.0.0.0/0"]`, and no npm HCL library keeps positions (hcl2json and friends
 * give JSON only).
 *
 * Format facts (hashicorp/hcl `hclsyntax/spec.md`): a body is attributes `name = expr` and blocks
 * `type "label" label { body }`, each ended by a newline (a block may hold one attribute on its own
 * line: `variable "x" { default = 1 }`). Newlines end an item in bodies and separate object items;
 * inside `()`, `[]` and `${}` they are spaces. Quoted strings are templates (`${expr}`, `%{ if }`
 * directives, backslash escapes, `$${` and `%%{` for literal text); heredocs `<<EOF` and the
 * indentation-stripping `<<-EOF` are templates without backslash escapes. Identifiers may hold `-`.
 *
 * Design: a tokenizer with a mode stack (body, brace, quoted template, heredoc, interpolation)
 * produces every token once; a recursive-descent parser with precedence climbing builds the tree.
 * No backtracking, so both are linear; nesting deeper than MAX_NESTING is refused with its line
 * rather than left to blow the stack. The parser is a reader, not a validator: it accepts a few
 * things Terraform rejects (a newline after a binary operator, several attributes on one line of a
 * one-line block) where accepting them cannot change what a valid file means. Duplicate attributes
 * in one body are errors, as in Terraform: a second `storage_encrypted` must not hide the first.
 */
import { PolicyParseError } from "../audit.js";

export const MAX_NESTING = 200;

export interface HclSpan {
  /** 1-based line where the node starts. */
  readonly line: number;
  /** 1-based line where the node ends. */
  readonly endLine: number;
  /** Character offsets in the source, end exclusive: `text.slice(start, end)` is the node's text. */
  readonly start: number;
  readonly end: number;
}

export interface HclBody extends HclSpan {
  readonly kind: "body";
  readonly items: readonly (HclAttribute | HclBlock)[];
}

export interface HclAttribute extends HclSpan {
  readonly kind: "attribute";
  readonly name: string;
  readonly value: HclExpression;
}

export interface HclBlock extends HclSpan {
  readonly kind: "block";
  readonly type: string;
  readonly labels: readonly string[];
  readonly body: HclBody;
}

export type HclExpression =
  | HclLiteral
  | HclTemplate
  | HclTuple
  | HclObject
  | HclCall
  | HclVariable
  | HclTraversal
  | HclOperation
  | HclConditional
  | HclFor
  | HclParens;

export interface HclHeredoc {
  readonly marker: string;
  /** `<<-`: the common indentation of the lines is removed. */
  readonly flush: boolean;
  /** The line of the first content line (the one after `<<EOF`). */
  readonly contentLine: number;
}

/** A number, `true`/`false`, `null`, or a string (quoted or heredoc) without interpolation. */
export interface HclLiteral extends HclSpan {
  readonly kind: "literal";
  readonly value: string | number | boolean | null;
  readonly heredoc?: HclHeredoc;
}

/** A string with interpolations or directives; its literal parts are `HclLiteral` strings. */
export interface HclTemplate extends HclSpan {
  readonly kind: "template";
  readonly parts: readonly (HclExpression | HclDirective)[];
  readonly heredoc?: HclHeredoc;
}

/** `%{ if cond }`, `%{ else }`, `%{ endif }`, `%{ for x in xs }`, `%{ endfor }` inside a template. */
export interface HclDirective extends HclSpan {
  readonly kind: "directive";
  readonly keyword: string;
  readonly expression?: HclExpression;
}

export interface HclTuple extends HclSpan {
  readonly kind: "tuple";
  readonly items: readonly HclExpression[];
}

export interface HclObjectItem extends HclSpan {
  readonly key: HclExpression;
  /** The key as text when it is a bare name or a literal string (`Action`, `"Action"`). */
  readonly name?: string;
  readonly value: HclExpression;
}

export interface HclObject extends HclSpan {
  readonly kind: "object";
  readonly items: readonly HclObjectItem[];
}

export interface HclCall extends HclSpan {
  readonly kind: "call";
  /** `jsonencode`, or a provider function's full name `provider::aws::arn_parse`. */
  readonly name: string;
  readonly args: readonly HclExpression[];
  /** The last argument ends in `...`. */
  readonly expandFinal: boolean;
}

export interface HclVariable extends HclSpan {
  readonly kind: "variable";
  readonly name: string;
}

export type HclStep =
  | { readonly kind: "attr"; readonly name: string }
  | { readonly kind: "index"; readonly key: HclExpression }
  | { readonly kind: "splat" };

/** `var.x`, `aws_vpc.main.id`, `a[0]`, `aws_instance.web[*].id`, `f(x).y`. */
export interface HclTraversal extends HclSpan {
  readonly kind: "traversal";
  readonly source: HclExpression;
  readonly steps: readonly HclStep[];
}

/** A unary (`!x`, `-x`) or binary (`a + b`, `a && b`) operation. */
export interface HclOperation extends HclSpan {
  readonly kind: "operation";
  readonly operator: string;
  readonly operands: readonly HclExpression[];
}

export interface HclConditional extends HclSpan {
  readonly kind: "conditional";
  readonly condition: HclExpression;
  readonly then: HclExpression;
  readonly else: HclExpression;
}

/** `[for v in xs : v]` (tuple) or `{for k, v in m : k => v}` (object). */
export interface HclFor extends HclSpan {
  readonly kind: "for";
  readonly result: "tuple" | "object";
  readonly keyVar?: string;
  readonly valueVar: string;
  readonly collection: HclExpression;
  readonly key?: HclExpression;
  readonly value: HclExpression;
  readonly condition?: HclExpression;
  readonly grouping: boolean;
}

export interface HclParens extends HclSpan {
  readonly kind: "parens";
  readonly expression: HclExpression;
}

/** Parses a whole file. Throws `PolicyParseError` with the 1-based line of the first problem. */
export function parseHcl(text: string): HclBody {
  return new Parser(tokenize(text)).parseFile();
}

/** The source text of a node, for messages. */
export function hclText(text: string, node: HclSpan): string {
  return text.slice(node.start, node.end);
}

// ---------------------------------------------------------------------------------------------
// Tokens

type TokenType =
  | "ident"
  | "number"
  | "newline"
  | "eof"
  | "punct" // operators and brackets; `text` says which
  | "oquote"
  | "cquote"
  | "oheredoc"
  | "cheredoc"
  | "literal" // a decoded run of template text
  | "interp" // `${`
  | "control" // `%{`
  | "seqend"; // the `}` that closes `${` or `%{`

interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly endLine: number;
  /** Heredoc opener: `<<-`. Heredoc literal: starts at the beginning of a content line. */
  readonly flag?: boolean;
}

type Mode =
  | { readonly kind: "body" | "brace" | "interp" }
  | { readonly kind: "quoted"; readonly line: number }
  | { readonly kind: "heredoc"; readonly marker: string; readonly line: number; atLineStart: boolean };

const THREE_CHAR = ["..."];
const TWO_CHAR = ["==", "!=", "<=", ">=", "&&", "||", "=>", "::"];
const ONE_CHAR = "=!<>+-*/%?:,.[]()";
// Tokenizer modes nest at most twice per parser level (a quoted string, then its `${`).
const MAX_MODES = 2 * MAX_NESTING + 8;

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c) || c === 0x2d;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `character U+${code.toString(16).toUpperCase().padStart(4, "0")}` : `"${ch}"`;
}

/** The whole file as tokens, in one pass. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const modes: Mode[] = [{ kind: "body" }];
  const length = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  const push = (type: TokenType, value: string, start: number, startLine: number, flag?: boolean) =>
    tokens.push({ type, text: value, start, end: pos, line: startLine, endLine: line, ...(flag !== undefined ? { flag } : {}) });
  const pushMode = (mode: Mode) => {
    if (modes.length >= MAX_MODES) throw new PolicyParseError(`nesting deeper than ${MAX_NESTING} levels`, line);
    modes.push(mode);
  };

  /** Template text up to the next `"`, `${`, `%{` (or end of line for heredocs). */
  const lexTemplateText = (mode: Extract<Mode, { kind: "quoted" } | { kind: "heredoc" }>) => {
    const start = pos;
    const startLine = line;
    const lineStart = mode.kind === "heredoc" && mode.atLineStart;
    if (mode.kind === "heredoc") mode.atLineStart = false;
    let value = "";
    let runStart = pos;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (mode.kind === "quoted" && c === 0x22) break;
      if ((c === 0x24 || c === 0x25) && text.charCodeAt(pos + 1) === 0x7b) break; // ${ %{
      if ((c === 0x24 || c === 0x25) && text.charCodeAt(pos + 1) === c && text.charCodeAt(pos + 2) === 0x7b) {
        // `$${` and `%%{` are the literal `${` and `%{`.
        value += text.slice(runStart, pos) + text[pos] + "{";
        pos += 3;
        runStart = pos;
        continue;
      }
      if (c === 0x0a) {
        if (mode.kind === "quoted") throw new PolicyParseError("a quoted string is not closed on its line (strings cannot hold a line break; use a heredoc)", mode.line);
        // A heredoc literal ends with its line, so the next line can be checked for the marker.
        const before = text.charCodeAt(pos - 1) === 0x0d && pos - 1 >= runStart ? pos - 1 : pos;
        value += text.slice(runStart, before) + "\n";
        pos++;
        line++;
        mode.atLineStart = true;
        runStart = pos;
        break;
      }
      if (c === 0x5c && mode.kind === "quoted") {
        value += text.slice(runStart, pos) + decodeEscape();
        runStart = pos;
        continue;
      }
      pos++;
    }
    value += text.slice(runStart, pos);
    if (pos === start) return;
    // A heredoc line's literal ends on that line, not on the next one its newline leads to.
    const endLine = value.endsWith("\n") ? line - 1 : line;
    tokens.push({ type: "literal", text: value, start, end: pos, line: startLine, endLine, ...(lineStart ? { flag: true } : {}) });
  };

  /** At a backslash in a quoted string: its decoded value; advances past it. */
  const decodeEscape = (): string => {
    const next = text[pos + 1];
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    if (next !== undefined && simple[next] !== undefined) {
      pos += 2;
      return simple[next];
    }
    if (next === "u" || next === "U") {
      const digits = next === "u" ? 4 : 8;
      const hex = text.slice(pos + 2, pos + 2 + digits);
      if (hex.length === digits && /^[0-9A-Fa-f]+$/.test(hex)) {
        const code = Number.parseInt(hex, 16);
        if (code <= 0x10ffff) {
          pos += 2 + digits;
          return String.fromCodePoint(code);
        }
      }
      throw new PolicyParseError(`invalid \\${next} escape in a string (expected ${digits} hex digits)`, line);
    }
    throw new PolicyParseError(`invalid escape "\\${next ?? ""}" in a string`, line);
  };

  const lexHeredocLine = (mode: Extract<Mode, { kind: "heredoc" }>) => {
    if (mode.atLineStart) {
      if (pos >= length) throw new PolicyParseError(`heredoc <<${mode.marker} is not closed (no line "${mode.marker}")`, mode.line);
      let end = text.indexOf("\n", pos);
      if (end < 0) end = length;
      if (text.slice(pos, end).trim() === mode.marker) {
        const start = pos;
        pos = end;
        modes.pop();
        push("cheredoc", mode.marker, start, line);
        return;
      }
    }
    if (text.charCodeAt(pos) === 0x24 || text.charCodeAt(pos) === 0x25) {
      if (text.charCodeAt(pos + 1) === 0x7b) {
        lexTemplateStart();
        return;
      }
    }
    lexTemplateText(mode);
  };

  /** At `${` or `%{` inside a template. */
  const lexTemplateStart = () => {
    const start = pos;
    const type: TokenType = text[pos] === "$" ? "interp" : "control";
    pos += 2;
    if (text[pos] === "~") pos++;
    push(type, text.slice(start, pos), start, line);
    pushMode({ kind: "interp" });
  };

  const lexHeredocOpener = (): boolean => {
    // `<<EOF` or `<<-EOF`, then the end of the line.
    let p = pos + 2;
    const flush = text[p] === "-";
    if (flush) p++;
    const markerStart = p;
    if (!isIdentStart(text.charCodeAt(p))) return false;
    while (p < length && isIdentPart(text.charCodeAt(p))) p++;
    const marker = text.slice(markerStart, p);
    let eol = p;
    if (text[eol] === "\r") eol++;
    if (eol < length && text[eol] !== "\n") return false;
    const start = pos;
    const startLine = line;
    pos = eol < length ? eol + 1 : eol;
    line++;
    push("oheredoc", marker, start, startLine, flush);
    pushMode({ kind: "heredoc", marker, line: startLine, atLineStart: true });
    return true;
  };

  while (pos < length) {
    const mode = modes[modes.length - 1]!;
    if (mode.kind === "quoted") {
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        const start = pos++;
        modes.pop();
        push("cquote", '"', start, line);
      } else if ((c === 0x24 || c === 0x25) && text.charCodeAt(pos + 1) === 0x7b) {
        lexTemplateStart();
      } else {
        lexTemplateText(mode);
      }
      continue;
    }
    if (mode.kind === "heredoc") {
      lexHeredocLine(mode);
      continue;
    }
    const c = text.charCodeAt(pos);
    const start = pos;
    if (c === 0x20 || c === 0x09 || c === 0x0d) {
      pos++;
      continue;
    }
    if (c === 0x0a) {
      pos++;
      tokens.push({ type: "newline", text: "\n", start, end: pos, line, endLine: line });
      line++;
      continue;
    }
    if (c === 0x23 || (c === 0x2f && text.charCodeAt(pos + 1) === 0x2f)) {
      // A line comment ends before its newline, which still ends the item.
      const end = text.indexOf("\n", pos);
      pos = end < 0 ? length : end;
      continue;
    }
    if (c === 0x2f && text.charCodeAt(pos + 1) === 0x2a) {
      const end = text.indexOf("*/", pos + 2);
      if (end < 0) throw new PolicyParseError("a /* comment is not closed", line);
      for (let i = pos; i < end; i++) if (text.charCodeAt(i) === 0x0a) line++;
      pos = end + 2;
      continue;
    }
    if (c === 0x22) {
      pos++;
      push("oquote", '"', start, line);
      pushMode({ kind: "quoted", line });
      continue;
    }
    if (c === 0x3c && text.charCodeAt(pos + 1) === 0x3c && lexHeredocOpener()) continue;
    if (c === 0x7b) {
      pos++;
      push("punct", "{", start, line);
      pushMode({ kind: "brace" });
      continue;
    }
    if (c === 0x7d || (c === 0x7e && text.charCodeAt(pos + 1) === 0x7d && mode.kind === "interp")) {
      pos += c === 0x7e ? 2 : 1;
      if (mode.kind === "interp") {
        modes.pop();
        push("seqend", "}", start, line);
      } else {
        if (mode.kind === "brace") modes.pop();
        push("punct", "}", start, line);
      }
      continue;
    }
    if (isDigit(c)) {
      while (pos < length && isDigit(text.charCodeAt(pos))) pos++;
      if (text[pos] === "." && isDigit(text.charCodeAt(pos + 1))) {
        pos++;
        while (pos < length && isDigit(text.charCodeAt(pos))) pos++;
      }
      if ((text[pos] === "e" || text[pos] === "E") && (isDigit(text.charCodeAt(pos + 1)) || ((text[pos + 1] === "+" || text[pos + 1] === "-") && isDigit(text.charCodeAt(pos + 2))))) {
        pos += 2;
        while (pos < length && isDigit(text.charCodeAt(pos))) pos++;
      }
      push("number", text.slice(start, pos), start, line);
      continue;
    }
    if (isIdentStart(c)) {
      while (pos < length && isIdentPart(text.charCodeAt(pos))) pos++;
      push("ident", text.slice(start, pos), start, line);
      continue;
    }
    const three = text.slice(pos, pos + 3);
    const two = text.slice(pos, pos + 2);
    const op = THREE_CHAR.includes(three) ? three : TWO_CHAR.includes(two) ? two : ONE_CHAR.includes(text[pos]!) ? text[pos]! : undefined;
    if (op === undefined) throw new PolicyParseError(`unexpected ${describeChar(String.fromCodePoint(text.codePointAt(pos)!))}`, line);
    pos += op.length;
    push("punct", op, start, line);
  }
  const open = modes[modes.length - 1]!;
  if (open.kind === "quoted") throw new PolicyParseError("a quoted string is not closed", open.line);
  if (open.kind === "heredoc") throw new PolicyParseError(`heredoc <<${open.marker} is not closed (no line "${open.marker}")`, open.line);
  tokens.push({ type: "eof", text: "", start: length, end: length, line, endLine: line });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser

/** Binary operators by precedence, loosest first (hclsyntax spec, "Operations"). */
const BINARY_LEVELS: readonly (readonly string[])[] = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]];

function describeToken(token: Token): string {
  switch (token.type) {
    case "eof":
      return "the end of the file";
    case "newline":
      return "the end of the line";
    case "ident":
    case "number":
    case "punct":
      return `"${token.text}"`;
    case "oquote":
    case "cquote":
      return "a quote";
    case "oheredoc":
      return "a heredoc";
    default:
      return "a string";
  }
}

class Parser {
  private index = 0;
  private depth = 0;
  private last: Token | undefined;
  /** One entry per open context: whether newlines are spaces there. */
  private readonly newlinesIgnored: boolean[] = [false];

  constructor(private readonly tokens: readonly Token[]) {}

  parseFile(): HclBody {
    const body = this.parseBody(true);
    const last = this.peek();
    if (last.type !== "eof") throw this.unexpected(last, "an attribute or a block");
    return body;
  }

  // -- token access

  private peek(): Token {
    if (this.newlinesIgnored[this.newlinesIgnored.length - 1]) {
      while (this.tokens[this.index]!.type === "newline") this.index++;
    }
    return this.tokens[this.index]!;
  }

  private peekAt(offset: number): Token {
    let i = this.index;
    let seen = 0;
    const ignore = this.newlinesIgnored[this.newlinesIgnored.length - 1];
    for (;;) {
      const t = this.tokens[i]!;
      if (t.type === "eof") return t;
      if (!(ignore && t.type === "newline")) {
        if (seen === offset) return t;
        seen++;
      }
      i++;
    }
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== "eof") this.index++;
    this.last = t;
    return t;
  }

  private isPunct(t: Token, text: string): boolean {
    return t.type === "punct" && t.text === text;
  }

  private expectPunct(text: string, what: string): Token {
    const t = this.peek();
    if (!this.isPunct(t, text)) throw this.unexpected(t, what);
    return this.next();
  }

  private skipNewlines(): void {
    while (this.tokens[this.index]!.type === "newline") this.index++;
  }

  private withNewlines<T>(ignored: boolean, parse: () => T): T {
    this.newlinesIgnored.push(ignored);
    try {
      return parse();
    } finally {
      this.newlinesIgnored.pop();
    }
  }

  private nested<T>(line: number, parse: () => T): T {
    if (++this.depth > MAX_NESTING) throw new PolicyParseError(`nesting deeper than ${MAX_NESTING} levels`, line);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private unexpected(token: Token, expected: string): PolicyParseError {
    return new PolicyParseError(`expected ${expected}, found ${describeToken(token)}`, token.line);
  }

  private span(first: { line: number; start: number }, last: { endLine: number; end: number }): HclSpan {
    return { line: first.line, endLine: last.endLine, start: first.start, end: last.end };
  }

  /** The last token consumed: where a node that was just parsed ends. */
  private previous(): Token {
    return this.last ?? this.tokens[0]!;
  }

  // -- bodies

  private parseBody(topLevel: boolean): HclBody {
    return this.withNewlines(false, () => {
      const items: (HclAttribute | HclBlock)[] = [];
      const seen = new Map<string, number>();
      this.skipNewlines();
      const first = this.peek();
      for (;;) {
        this.skipNewlines();
        const t = this.peek();
        if (t.type === "eof" || (!topLevel && this.isPunct(t, "}"))) break;
        if (t.type !== "ident") throw this.unexpected(t, topLevel ? "an attribute or a block" : 'an attribute, a block or "}"');
        const item = this.parseItem();
        if (item.kind === "attribute") {
          const earlier = seen.get(item.name);
          if (earlier !== undefined) throw new PolicyParseError(`attribute "${item.name}" is set twice in one block (first on line ${earlier})`, item.line);
          seen.set(item.name, item.line);
        }
        items.push(item);
        const after = this.peek();
        // An item ends with its line; `}` may follow directly in a one-line block.
        if (after.type === "newline" || after.type === "eof" || (!topLevel && this.isPunct(after, "}"))) continue;
        if (after.type === "ident" && !topLevel) continue;
        throw this.unexpected(after, "a new line after the " + (item.kind === "attribute" ? `attribute "${item.name}"` : `block "${item.type}"`));
      }
      const end = this.peek();
      const start = items[0] ?? first;
      return { kind: "body", items, line: start.line, endLine: items.length > 0 ? items[items.length - 1]!.endLine : start.line, start: start.start, end: items.length > 0 ? items[items.length - 1]!.end : end.start };
    });
  }

  private parseItem(): HclAttribute | HclBlock {
    const name = this.next();
    const t = this.peek();
    if (this.isPunct(t, "=")) {
      this.next();
      const value = this.parseExpression();
      return { kind: "attribute", name: name.text, value, ...this.span(name, value) };
    }
    const labels: string[] = [];
    for (;;) {
      const label = this.peek();
      if (label.type === "ident") {
        labels.push(this.next().text);
      } else if (label.type === "oquote") {
        labels.push(this.parseLabelString());
      } else break;
    }
    const open = this.peek();
    if (!this.isPunct(open, "{")) throw this.unexpected(open, labels.length === 0 ? `"=" or "{" after "${name.text}"` : `"{" to open the block "${name.text}"`);
    this.next();
    const body = this.nested(open.line, () => this.parseBody(false));
    const close = this.peek();
    if (!this.isPunct(close, "}")) throw this.unexpected(close, `"}" to close the block "${name.text}" opened on line ${open.line}`);
    this.next();
    return { kind: "block", type: name.text, labels, body, ...this.span(name, close) };
  }

  private parseLabelString(): string {
    const open = this.next();
    let value = "";
    for (;;) {
      const t = this.next();
      if (t.type === "cquote") return value;
      if (t.type === "literal") value += t.text;
      else throw new PolicyParseError("a block label must be a plain string, without ${...}", open.line);
    }
  }

  // -- expressions

  parseExpression(): HclExpression {
    const first = this.peek();
    return this.nested(first.line, () => {
      const condition = this.parseBinary(0);
      if (!this.isPunct(this.peek(), "?")) return condition;
      this.next();
      this.skipNewlines();
      const then = this.parseExpression();
      this.skipNewlines();
      this.expectPunct(":", 'the ":" of a conditional');
      this.skipNewlines();
      const otherwise = this.parseExpression();
      return { kind: "conditional", condition, then, else: otherwise, ...this.span(condition, otherwise) };
    });
  }

  private parseBinary(level: number): HclExpression {
    if (level >= BINARY_LEVELS.length) return this.parseUnary();
    const operators = BINARY_LEVELS[level]!;
    let left = this.parseBinary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.type !== "punct" || !operators.includes(t.text)) return left;
      this.next();
      this.skipNewlines();
      const right = this.parseBinary(level + 1);
      left = { kind: "operation", operator: t.text, operands: [left, right], ...this.span(left, right) };
    }
  }

  private parseUnary(): HclExpression {
    const t = this.peek();
    if (this.isPunct(t, "!") || this.isPunct(t, "-")) {
      this.next();
      const operand = this.nested(t.line, () => this.parseUnary());
      return { kind: "operation", operator: t.text, operands: [operand], ...this.span(t, operand) };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(source: HclExpression): HclExpression {
    const steps: HclStep[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, ".")) {
        this.next();
        const step = this.peek();
        if (step.type === "ident") {
          this.next();
          steps.push({ kind: "attr", name: step.text });
        } else if (step.type === "number") {
          // Legacy index `a.0`; `a.0.1` arrives as the number "0.1".
          this.next();
          for (const part of step.text.split(".")) steps.push({ kind: "index", key: { kind: "literal", value: Number(part), ...this.span(step, step) } });
        } else if (this.isPunct(step, "*")) {
          this.next();
          steps.push({ kind: "splat" });
        } else throw this.unexpected(step, 'a name after "."');
      } else if (this.isPunct(t, "[")) {
        this.next();
        this.withNewlines(true, () => {
          if (this.isPunct(this.peek(), "*") && this.isPunct(this.peekAt(1), "]")) {
            this.next();
            steps.push({ kind: "splat" });
          } else {
            steps.push({ kind: "index", key: this.parseExpression() });
          }
          this.expectPunct("]", `"]" to close the index opened on line ${t.line}`);
        });
      } else break;
    }
    if (steps.length === 0) return source;
    return { kind: "traversal", source, steps, ...this.span(source, this.previous()) };
  }

  private parsePrimary(): HclExpression {
    const t = this.peek();
    switch (t.type) {
      case "number":
        this.next();
        return { kind: "literal", value: Number(t.text), ...this.span(t, t) };
      case "ident":
        return this.parseIdentifierExpression();
      case "oquote":
        return this.parseTemplate();
      case "oheredoc":
        return this.parseHeredoc();
      case "punct":
        if (t.text === "[") return this.parseTuple();
        if (t.text === "{") return this.parseObject();
        if (t.text === "(") {
          this.next();
          const expression = this.withNewlines(true, () => {
            const inner = this.parseExpression();
            this.expectPunct(")", `")" to close the "(" on line ${t.line}`);
            return inner;
          });
          return { kind: "parens", expression, ...this.span(t, this.previous()) };
        }
        break;
      default:
        break;
    }
    throw this.unexpected(t, "an expression");
  }

  private parseIdentifierExpression(): HclExpression {
    const t = this.next();
    if (t.text === "true" || t.text === "false") return { kind: "literal", value: t.text === "true", ...this.span(t, t) };
    if (t.text === "null") return { kind: "literal", value: null, ...this.span(t, t) };
    let name = t.text;
    // Provider functions: `provider::aws::arn_parse(...)`.
    while (this.isPunct(this.peek(), "::") && this.peekAt(1).type === "ident") {
      this.next();
      name += "::" + this.next().text;
    }
    if (!this.isPunct(this.peek(), "(")) {
      if (name !== t.text) throw this.unexpected(this.peek(), `"(" to call ${name}`);
      return { kind: "variable", name, ...this.span(t, t) };
    }
    const open = this.next();
    return this.withNewlines(true, () => {
        const args: HclExpression[] = [];
        let expandFinal = false;
        while (!this.isPunct(this.peek(), ")")) {
          args.push(this.parseExpression());
          if (this.isPunct(this.peek(), "...")) {
            this.next();
            expandFinal = true;
          }
          const sep = this.peek();
          if (this.isPunct(sep, ",") && !expandFinal) this.next();
          else if (!this.isPunct(sep, ")")) throw this.unexpected(sep, `"," or ")" in the call of ${name} on line ${open.line}`);
        }
        const close = this.next();
        return { kind: "call", name, args, expandFinal, ...this.span(t, close) } satisfies HclCall;
    });
  }

  private parseTuple(): HclExpression {
    const open = this.next();
    return this.withNewlines(true, () => {
      if (this.isForKeyword()) return this.parseFor(open, "tuple");
      const items: HclExpression[] = [];
      while (!this.isPunct(this.peek(), "]")) {
        items.push(this.parseExpression());
        const sep = this.peek();
        if (this.isPunct(sep, ",")) this.next();
        else if (!this.isPunct(sep, "]")) throw this.unexpected(sep, `"," or "]" in the list opened on line ${open.line}`);
      }
      const close = this.next();
      return { kind: "tuple", items, ...this.span(open, close) };
    });
  }

  private parseObject(): HclExpression {
    const open = this.next();
    this.newlinesIgnored.push(true);
    const isFor = this.isForKeyword();
    this.newlinesIgnored.pop();
    if (isFor) return this.withNewlines(true, () => this.parseFor(open, "object"));
    return this.withNewlines(false, () => {
      const items: HclObjectItem[] = [];
      for (;;) {
        this.skipNewlines();
        if (this.isPunct(this.peek(), "}")) break;
        const key = this.parseExpression();
        const assign = this.peek();
        if (!this.isPunct(assign, "=") && !this.isPunct(assign, ":")) throw this.unexpected(assign, `"=" or ":" after the key of an object item`);
        this.next();
        this.skipNewlines();
        const value = this.parseExpression();
        items.push({ key, ...objectKeyName(key), value, ...this.span(key, value) });
        const sep = this.peek();
        if (this.isPunct(sep, ",") || sep.type === "newline") this.next();
        else if (!this.isPunct(sep, "}")) throw this.unexpected(sep, `",", a new line or "}" in the object opened on line ${open.line}`);
      }
      const close = this.next();
      return { kind: "object", items, ...this.span(open, close) };
    });
  }

  /** At the token after `[` or `{`: `for x in` or `for k, v in` starts a for expression. */
  private isForKeyword(): boolean {
    const t = this.peek();
    if (t.type !== "ident" || t.text !== "for") return false;
    const name = this.peekAt(1);
    if (name.type !== "ident") return false;
    const after = this.peekAt(2);
    return this.isPunct(after, ",") || (after.type === "ident" && after.text === "in");
  }

  private parseFor(open: Token, result: "tuple" | "object"): HclFor {
    const close = result === "tuple" ? "]" : "}";
    this.next(); // for
    let keyVar: string | undefined;
    let valueVar = this.next().text;
    if (this.isPunct(this.peek(), ",")) {
      this.next();
      const second = this.next();
      if (second.type !== "ident") throw this.unexpected(second, "a variable name in the for expression");
      keyVar = valueVar;
      valueVar = second.text;
    }
    const inKeyword = this.next();
    if (inKeyword.type !== "ident" || inKeyword.text !== "in") throw this.unexpected(inKeyword, '"in" in the for expression');
    const collection = this.parseExpression();
    this.expectPunct(":", 'the ":" of the for expression');
    let key: HclExpression | undefined;
    if (result === "object") {
      key = this.parseExpression();
      this.expectPunct("=>", 'the "=>" of the object for expression');
    }
    const value = this.parseExpression();
    let grouping = false;
    if (result === "object" && this.isPunct(this.peek(), "...")) {
      this.next();
      grouping = true;
    }
    let condition: HclExpression | undefined;
    const maybeIf = this.peek();
    if (maybeIf.type === "ident" && maybeIf.text === "if") {
      this.next();
      condition = this.parseExpression();
    }
    const end = this.expectPunct(close, `"${close}" to close the for expression opened on line ${open.line}`);
    return {
      kind: "for",
      result,
      ...(keyVar !== undefined ? { keyVar } : {}),
      valueVar,
      collection,
      ...(key !== undefined ? { key } : {}),
      value,
      ...(condition !== undefined ? { condition } : {}),
      grouping,
      ...this.span(open, end),
    };
  }

  private parseTemplate(): HclExpression {
    const open = this.next();
    const parts = this.parseTemplateParts("cquote");
    const close = this.next();
    return templateOrLiteral(parts, this.span(open, close));
  }

  private parseHeredoc(): HclExpression {
    const open = this.next();
    const parts = this.parseTemplateParts("cheredoc");
    const close = this.next();
    const heredoc: HclHeredoc = { marker: open.text, flush: open.flag === true, contentLine: open.line + 1 };
    return templateOrLiteral(heredoc.flush ? dedent(parts) : parts, this.span(open, close), heredoc);
  }

  private parseTemplateParts(end: "cquote" | "cheredoc"): (HclExpression | HclDirective | HeredocLiteral)[] {
    const parts: (HclExpression | HclDirective | HeredocLiteral)[] = [];
    for (;;) {
      const t = this.tokens[this.index]!;
      if (t.type === end) return parts;
      if (t.type === "literal") {
        this.next();
        parts.push({ kind: "literal", value: t.text, ...this.span(t, t), ...(t.flag ? { lineStart: true } : {}) });
      } else if (t.type === "interp" || t.type === "control") {
        this.next();
        parts.push(this.withNewlines(true, () => (t.type === "interp" ? this.parseInterpolation(t) : this.parseDirective(t))));
      } else throw this.unexpected(t, "the end of the string");
    }
  }

  private parseInterpolation(open: Token): HclExpression {
    const expression = this.parseExpression();
    const close = this.peek();
    if (close.type !== "seqend") throw this.unexpected(close, `"}" to close the "\${" on line ${open.line}`);
    this.next();
    return expression;
  }

  private parseDirective(open: Token): HclDirective {
    const keyword = this.next();
    if (keyword.type !== "ident") throw this.unexpected(keyword, "if, else, endif, for or endfor after %{");
    let expression: HclExpression | undefined;
    if (keyword.text === "if") {
      expression = this.parseExpression();
    } else if (keyword.text === "for") {
      this.next();
      if (this.isPunct(this.peek(), ",")) {
        this.next();
        this.next();
      }
      const inKeyword = this.next();
      if (inKeyword.text !== "in") throw this.unexpected(inKeyword, '"in" in the %{ for } directive');
      expression = this.parseExpression();
    } else if (!["else", "endif", "endfor"].includes(keyword.text)) {
      throw this.unexpected(keyword, "if, else, endif, for or endfor after %{");
    }
    const close = this.peek();
    if (close.type !== "seqend") throw this.unexpected(close, `"}" to close the "%{" on line ${open.line}`);
    this.next();
    return { kind: "directive", keyword: keyword.text, ...(expression !== undefined ? { expression } : {}), ...this.span(open, close) };
  }
}

/** A heredoc literal part that begins a content line (its indentation counts for `<<-`). */
type HeredocLiteral = HclLiteral & { readonly lineStart?: boolean };

function objectKeyName(key: HclExpression): { name?: string } {
  if (key.kind === "variable") return { name: key.name };
  if (key.kind === "literal" && typeof key.value === "string") return { name: key.value };
  if (key.kind === "parens" && key.expression.kind === "literal" && typeof key.expression.value === "string") return { name: key.expression.value };
  return {};
}

function templateOrLiteral(parts: readonly (HclExpression | HclDirective | HeredocLiteral)[], span: HclSpan, heredoc?: HclHeredoc): HclExpression {
  // Most strings are one run of text: no need to filter and join.
  if (heredoc === undefined && parts.length <= 1) {
    const only = parts[0];
    if (only === undefined) return { kind: "literal", value: "", ...span };
    if (only.kind === "literal") return { kind: "literal", value: only.value, ...span };
  }
  // Indentation removed by `<<-` can leave empty literals behind: they are not parts.
  const clean = parts.map((p) => (p.kind === "literal" && "lineStart" in p ? stripLineStart(p) : p)).filter((p) => !(p.kind === "literal" && p.value === ""));
  const withHeredoc = heredoc !== undefined ? { heredoc } : {};
  if (clean.every((p) => p.kind === "literal" && typeof p.value === "string")) {
    const value = clean.map((p) => (p as HclLiteral).value as string).join("");
    return { kind: "literal", value, ...span, ...withHeredoc };
  }
  return { kind: "template", parts: clean, ...span, ...withHeredoc };
}

function stripLineStart(part: HeredocLiteral): HclLiteral {
  const { lineStart: _lineStart, ...rest } = part;
  return rest;
}

/** `<<-EOF`: the smallest indentation of the content lines is removed from each of them. */
function dedent(parts: readonly (HclExpression | HclDirective | HeredocLiteral)[]): (HclExpression | HclDirective | HeredocLiteral)[] {
  let indent = Infinity;
  for (const part of parts) {
    if (part.kind !== "literal" || !("lineStart" in part) || typeof part.value !== "string") continue;
    // A line holding only spaces does not decide the indentation (as in HCL).
    if (part.value.trim() === "" && part.value.endsWith("\n")) continue;
    let n = 0;
    while (n < part.value.length && (part.value[n] === " " || part.value[n] === "\t")) n++;
    indent = Math.min(indent, n);
  }
  if (indent === Infinity || indent === 0) return [...parts];
  return parts.map((part) => {
    if (part.kind !== "literal" || !("lineStart" in part) || typeof part.value !== "string") return part;
    let n = 0;
    while (n < indent && n < part.value.length && (part.value[n] === " " || part.value[n] === "\t")) n++;
    return { ...part, value: part.value.slice(n) };
  });
}
