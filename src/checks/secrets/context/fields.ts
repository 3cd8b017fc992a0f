/**
 * The `key: value` / `"key": "value"` / `key = "value"` fields of one line of YAML, JSON or HCL,
 * with the braces and brackets between them, in one left-to-right pass (no regex, so no
 * backtracking whatever the line holds). It is a tokenizer, not a parser: it knows strings,
 * escapes, comments and where a bare scalar ends, which is all the context extractors need to tell
 * which fields belong to the same object.
 *
 * Format facts used: JSON strings escape with `\`; YAML single-quoted strings escape `'` as `''`;
 * a YAML key needs `: ` (or `:` at the end of the line), so `http://x` is no key; a bare YAML value
 * in block context runs to the end of the line or to ` #`; in flow context (inside `{}`/`[]`), and
 * in JSON and HCL, to `,`, `}` or `]`. `#` and `//` after whitespace start a comment in YAML and
 * HCL (JSON has none, and a JSON string holding them is read as a string first).
 */

export type FieldSyntax = "yaml" | "braces";

export interface Field {
  readonly type: "field";
  /** The key as written, without its quotes. */
  readonly key: string;
  /** The scalar value, unquoted and unescaped; `undefined` when a collection, a block scalar or nothing follows. */
  readonly value: string | undefined;
  /** Offset of the key in the line (its opening quote when quoted). */
  readonly at: number;
}

/** `{` or `[` (open), `}` or `]` (close). */
export type Bracket = { readonly type: "open"; readonly at: number } | { readonly type: "close"; readonly at: number };

export type FieldToken = Field | Bracket;


export function lineFields(text: string, syntax: FieldSyntax): FieldToken[] {
  const tokens: FieldToken[] = [];
  const n = text.length;
  let depth = 0;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === ",") {
      i++;
    } else if (c === "{" || c === "[") {
      tokens.push({ type: "open", at: i++ });
      depth++;
    } else if (c === "}" || c === "]") {
      tokens.push({ type: "close", at: i++ });
      if (depth > 0) depth--;
    } else if (isCommentStart(text, i, syntax)) {
      break;
    } else if (c === "-" && syntax === "yaml" && (i + 1 === n || text[i + 1] === " ")) {
      i++; // a sequence entry's dash
    } else {
      const start = i;
      const quoted = c === '"' || c === "'";
      const word = quoted ? readQuoted(text, i) : readBareWord(text, i);
      if (word.end === start) {
        i++; // not a word: step over it
        continue;
      }
      i = word.end;
      const separator = separatorAt(text, i, syntax, quoted);
      if (separator < 0) continue;
      const read = readValue(text, separator, syntax, depth > 0);
      tokens.push({ type: "field", key: word.text, value: read.value, at: start });
      i = read.end;
    }
  }
  return tokens;
}

function isCommentStart(text: string, i: number, syntax: FieldSyntax): boolean {
  const c = text[i];
  const afterSpace = i === 0 || text[i - 1] === " " || text[i - 1] === "\t";
  if (!afterSpace) return false;
  return c === "#" || (syntax === "braces" && c === "/" && text[i + 1] === "/");
}

interface Read {
  readonly text: string;
  readonly end: number;
}

function readBareWord(text: string, start: number): Read {
  let i = start;
  while (i < text.length && isBareWordChar(text.charCodeAt(i))) i++;
  return { text: text.slice(start, i), end: i };
}

/** `[A-Za-z0-9_.$@/\\-]`: what a bare key is made of. */
function isBareWordChar(code: number): boolean {
  return (
    (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ||
    code === 95 || code === 46 || code === 36 || code === 64 || code === 47 || code === 92 || code === 45
  );
}

/** A quoted string from its opening quote; `end` is after the closing quote (or the line's end when unterminated). */
function readQuoted(text: string, start: number): Read & { readonly closed: boolean } {
  const quote = text[start]!;
  let out = "";
  let from = start + 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === quote) {
      // YAML's `''` inside a single-quoted string is one quote.
      if (quote === "'" && text[i + 1] === "'") {
        out += text.slice(from, i + 1);
        from = ++i + 1;
        continue;
      }
      return { text: out + text.slice(from, i), end: i + 1, closed: true };
    }
    if (c === "\\" && quote === '"' && i + 1 < text.length) {
      const next = text[i + 1]!;
      // Only the escapes that stand for themselves are decoded; `\n` and `\u…` are kept as written.
      if (next === '"' || next === "\\" || next === "/") {
        out += text.slice(from, i) + next;
        from = ++i + 1;
      } else i++;
    }
  }
  return { text: out + text.slice(from), end: text.length, closed: false };
}

/** Where the value starts when a key/value separator follows at `i` (after spaces), else -1. */
function separatorAt(text: string, i: number, syntax: FieldSyntax, quotedKey: boolean): number {
  let j = i;
  while (text[j] === " " || text[j] === "\t") j++;
  const c = text[j];
  if (c === ":") {
    const after = text[j + 1];
    // A bare YAML key needs whitespace (or the end) after its colon (`http://x` is no key);
    // JSON, HCL and quoted YAML keys may write `"a":"b"`.
    if (syntax === "yaml" && !quotedKey && after !== undefined && after !== " " && after !== "\t") return -1;
    return j + 1;
  }
  if (c === "=" && text[j + 1] !== "=" && text[j + 1] !== ">") return j + 1;
  return -1;
}

function readValue(text: string, from: number, syntax: FieldSyntax, inFlow: boolean): { value: string | undefined; end: number } {
  let i = from;
  while (text[i] === " " || text[i] === "\t") i++;
  const c = text[i];
  if (c === undefined || c === "{" || c === "[" || isCommentStart(text, i, syntax)) return { value: undefined, end: i };
  if (c === '"' || c === "'") {
    const quoted = readQuoted(text, i);
    return { value: quoted.closed ? quoted.text : undefined, end: quoted.end };
  }
  // A YAML block scalar (`|`, `>-`) holds its value on the next lines, which are not this field's.
  if (syntax === "yaml" && (c === "|" || c === ">")) return { value: undefined, end: text.length };
  const block = syntax === "yaml" && !inFlow;
  let end = i;
  while (end < text.length) {
    const d = text[end]!;
    if (!block && (d === "," || d === "}" || d === "]")) break;
    if ((d === "#" || (d === "/" && text[end + 1] === "/" && !block)) && (text[end - 1] === " " || text[end - 1] === "\t")) break;
    end++;
  }
  const value = text.slice(i, end).trim();
  return { value: value.length > 0 ? value : undefined, end };
}
