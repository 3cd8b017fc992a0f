/**
 * TOML that remembers where things are: `poetry.lock`, `uv.lock` and `pyproject.toml` are TOML, and a
 * finding must sit on the line of the `[[package]]` header, the key or the array element that
 * declares the dependency.
 *
 * The value comes from `smol-toml` (strict, but it gives no positions); lines from one linear pass
 * of a small scanner over the same, already validated, text. The scanner knows just enough TOML to
 * never mistake text for structure: basic and literal strings, multi-line strings (`"""`, `'''`,
 * whose contents may look like headers), comments, arrays and inline tables spanning lines. It
 * records table and array-of-tables headers (an `[[package]]` by its index), the keys of tables
 * and, on request, the elements of arrays that are a key's value. Lockfiles ask for headers only,
 * so that a 40 MB lock keeps one number per package.
 *
 * Known limits: keys inside inline tables, and elements of nested arrays, have no line (the line of
 * the key holding them is the answer). Nesting deeper than 100 arrays or inline tables is an error.
 */
import type * as SmolToml from "smol-toml";
import type { TomlTable } from "smol-toml";
import { lazyRequire } from "../../../core/lazy-require.js";
import { DependencyParseError } from "../model.js";

// Its `require` export (CommonJS build), so that parsing stays synchronous.
const smolToml = lazyRequire<typeof SmolToml>("smol-toml");

export type TomlPath = readonly (string | number)[];

export interface TomlWithLines {
  readonly value: TomlTable;
  /** The 1-based line of the header, key or recorded array element at `path`; `[[name]]` entries are addressed by index. */
  lineOf(path: TomlPath): number | undefined;
}

export interface TomlLinesOptions {
  /** Record the lines of keys, not only of headers (default `true`). */
  readonly keys?: boolean;
  /** Record the line of each element of an array that is a key's value, by index (default `false`). */
  readonly arrayElements?: boolean;
}

const MAX_DEPTH = 100;
const SEP = "\u0000";
const [SPACE, TAB, CR, LF, HASH, BACKSLASH] = [0x20, 0x09, 0x0d, 0x0a, 0x23, 0x5c];

function isBareKeyChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
}

/** `,` `]` `}` `#` or a line end: where a number, boolean or date stops. */
function isValueEnd(c: number): boolean {
  return c === 0x2c || c === 0x5d || c === 0x7d || c === HASH || c === CR || c === LF;
}

export function parseTomlWithLines(text: string, options: TomlLinesOptions = {}): TomlWithLines {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: TomlTable;
  try {
    value = smolToml().parse(source, { maxDepth: MAX_DEPTH });
  } catch (error) {
    throw toParseError(error);
  }
  const lines = scanLines(source, { keys: options.keys ?? true, arrayElements: options.arrayElements ?? false });
  return { value, lineOf: (path) => lines.get(pathKey(path)) };
}

function toParseError(error: unknown): DependencyParseError {
  if (error instanceof smolToml().TomlError) {
    const reason = error.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "");
    return new DependencyParseError(`invalid TOML at line ${error.line}, column ${error.column}: ${reason}`, error.line);
  }
  // Anything else (a stack overflow on hostile nesting) is still a file that does not parse.
  return new DependencyParseError(`invalid TOML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
}

function pathKey(path: TomlPath): string {
  return path.map(String).join(SEP);
}

/** One pass over valid TOML. Every loop advances, so even text smol-toml accepts and this misreads ends. */
function scanLines(text: string, record: { keys: boolean; arrayElements: boolean }): Map<string, number> {
  const lines = new Map<string, number>();
  // How many `[[x]]` entries each array of tables has so far, by resolved path.
  const arrayTables = new Map<string, number>();
  const n = text.length;
  let countedTo = 0;
  let countedLine = 1;
  // Positions are asked for in increasing order, so counting newlines is linear overall.
  const lineAt = (pos: number): number => {
    for (let next = text.indexOf("\n", countedTo); next !== -1 && next < pos; next = text.indexOf("\n", countedTo)) {
      countedLine++;
      countedTo = next + 1;
    }
    countedTo = Math.max(countedTo, pos);
    return countedLine;
  };

  const skipSpaces = (from: number): number => {
    let i = from;
    for (let c = text.charCodeAt(i); c === SPACE || c === TAB; c = text.charCodeAt(++i));
    return i;
  };
  /** Whitespace, newlines and comments. */
  const skipBlank = (from: number): number => {
    let i = from;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === TAB || c === CR || c === LF) i++;
      else if (c === HASH) i = endOfLine(i);
      else break;
    }
    return i;
  };
  const endOfLine = (from: number): number => {
    const newline = text.indexOf("\n", from);
    return newline === -1 ? n : newline;
  };

  /** A dotted key (`a."b.c".'d'`), its parts unquoted. */
  const readKey = (from: number): { parts: string[]; end: number } => {
    const parts: string[] = [];
    let i = from;
    for (;;) {
      i = skipSpaces(i);
      const c = text[i];
      if (c === '"' || c === "'") {
        const end = endOfString(i);
        const raw = text.slice(i, end);
        parts.push(c === '"' ? unescapeBasic(raw) : raw.slice(1, -1));
        i = end;
      } else {
        const start = i;
        while (i < n && isBareKeyChar(text.charCodeAt(i))) i++;
        if (i === start) break;
        parts.push(text.slice(start, i));
      }
      i = skipSpaces(i);
      if (text[i] !== ".") break;
      i++;
    }
    return { parts, end: i };
  };

  /** The end of a one-line string starting at `from` (a quote); valid TOML closes it before the line ends. */
  const endOfString = (from: number): number => {
    const quote = text[from]!;
    for (let close = text.indexOf(quote, from + 1); close !== -1; close = text.indexOf(quote, close + 1)) {
      if (quote === "'" || !isEscaped(close)) return close + 1;
    }
    return n;
  };
  const isEscaped = (at: number): boolean => {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    return backslashes % 2 === 1;
  };

  /** The end of a `"""` or `'''` string starting at `from`; up to two more quotes belong to its content. */
  const endOfMultilineString = (from: number): number => {
    const quote = text[from]!;
    const delimiter = quote.repeat(3);
    let i = from + 3;
    if (quote === "'") {
      const close = text.indexOf(delimiter, i);
      i = close === -1 ? n : close + 3;
    } else {
      let close = text.indexOf(delimiter, i);
      while (close !== -1 && isEscaped(close)) close = text.indexOf(delimiter, close + 1);
      i = close === -1 ? n : close + 3;
    }
    for (let extra = 0; extra < 2 && text[i] === quote; extra++) i++;
    return i;
  };

  const scanValue = (from: number, elementsOf: TomlPath | undefined, depth: number): number => {
    const c = text[from];
    if (c === '"' || c === "'") return text.startsWith(c.repeat(3), from) ? endOfMultilineString(from) : endOfString(from);
    if (c === "[" || c === "{") return depth >= MAX_DEPTH ? n : scanContainer(from, elementsOf, depth + 1);
    let i = from;
    // Numbers, booleans and dates (`1979-05-27 07:32:00Z` holds a space) end at a delimiter.
    while (i < n && !isValueEnd(text.charCodeAt(i))) i++;
    return Math.max(i, from + 1);
  };

  const scanContainer = (from: number, elementsOf: TomlPath | undefined, depth: number): number => {
    const close = text[from] === "[" ? "]" : "}";
    let index = 0;
    let i = from + 1;
    while (i < n) {
      i = skipBlank(i);
      if (text[i] === close) return i + 1;
      if (i >= n) break;
      if (close === "}") {
        i = skipSpaces(readKey(i).end);
        if (text[i] === "=") i++;
        i = skipSpaces(i);
      } else if (elementsOf) {
        lines.set(pathKey([...elementsOf, index]), lineAt(i));
      }
      index++;
      const start = i;
      i = scanValue(i, undefined, depth);
      i = skipBlank(i);
      if (text[i] === ",") i++;
      if (i <= start) i = start + 1;
    }
    return n;
  };

  /** `[a.b]` or `[[a.b]]`: later keys belong to the table it resolves to. */
  const resolveHeader = (parts: readonly string[], isArray: boolean): (string | number)[] => {
    const resolved: (string | number)[] = [];
    parts.forEach((part, k) => {
      resolved.push(part);
      const key = pathKey(resolved);
      const count = arrayTables.get(key);
      if (isArray && k === parts.length - 1) {
        arrayTables.set(key, (count ?? 0) + 1);
        resolved.push(count ?? 0);
      } else if (count !== undefined) {
        // A sub-table of an array of tables belongs to its latest entry (`[package.source]`).
        resolved.push(count - 1);
      }
    });
    return resolved;
  };

  let table: (string | number)[] = [];
  let pos = 0;
  while (pos < n) {
    pos = skipBlank(pos);
    if (pos >= n) break;
    const start = pos;
    if (text[pos] === "[") {
      const isArray = text[pos + 1] === "[";
      const { parts, end } = readKey(pos + (isArray ? 2 : 1));
      table = resolveHeader(parts, isArray);
      lines.set(pathKey(table), lineAt(start));
      pos = endOfLine(end);
    } else {
      const { parts, end } = readKey(pos);
      const path = [...table, ...parts];
      if (record.keys) lines.set(pathKey(path), lineAt(start));
      pos = skipSpaces(end);
      if (text[pos] === "=") pos = skipSpaces(pos + 1);
      const elementsOf = record.keys && record.arrayElements && text[pos] === "[" ? path : undefined;
      pos = scanValue(pos, elementsOf, 0);
    }
    if (pos <= start) pos = endOfLine(start + 1);
  }
  return lines;
}

/** A quoted basic key (`"my.pkg"`) to its text; TOML's escapes are JSON's plus `\UXXXXXXXX` and `\e`. */
function unescapeBasic(quoted: string): string {
  if (!quoted.includes("\\")) return quoted.slice(1, -1);
  const jsonReady = quoted
    .replace(/\\U([0-9A-Fa-f]{8})/g, (_m, hex: string) => JSON.stringify(String.fromCodePoint(parseInt(hex, 16))).slice(1, -1))
    .replace(/\\e/g, "\\u001b");
  try {
    return JSON.parse(jsonReady) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** A TOML table (a plain object: not an array, not a date). */
export function isTomlTable(value: unknown): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
