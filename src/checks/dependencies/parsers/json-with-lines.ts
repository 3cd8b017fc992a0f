/**
 * JSON that remembers where its keys are: `package-lock.json`, `Pipfile.lock`, `composer.lock` and
 * `packages.lock.json` are JSON, and a finding must sit on the line that declares the dependency.
 *
 * The value comes from `JSON.parse` (strict, fast, in C++); key lines from one pass over the same
 * text, kept only down to `maxDepth` so that a 40 MB lockfile keeps one number per package, not per
 * field. Errors name the line and column (from `jsonc-parser`'s scanner, run only on invalid JSON). A UTF-8 BOM is allowed (Windows tools
 * write one); duplicate keys are allowed as JSON.parse allows them (the last wins), and so does the
 * line map, so line and value always agree.
 */
import { visit, type ParseErrorCode, printParseErrorCode } from "jsonc-parser";
import { DependencyParseError } from "../model.js";

export interface JsonWithLines {
  readonly value: unknown;
  /** The 1-based line of the key at `path` (object keys and array indexes), if it is within `maxDepth`. */
  lineOf(path: readonly (string | number)[]): number | undefined;
}

const SEP = "\u0000";

/**
 * `maxDepth` 1 records the top-level keys, 2 also their children's keys, and so on. Array elements
 * count as a level and are recorded by index (the line where the element starts).
 */
export function parseJsonWithLines(text: string, maxDepth: number, options: { readonly positions?: boolean } = {}): JsonWithLines {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    throw firstSyntaxError(source);
  }
  // Without positions, lineOf answers nothing and callers fall back to their default line.
  const lines = options.positions === false ? new Map<string, number>() : keyLines(source, maxDepth);
  return {
    value,
    lineOf: (path) => (path.length === 0 || path.length > maxDepth ? undefined : lines.get(path.map(String).join(SEP))),
  };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const SPACE = 0x20;
const TAB = 0x09;
const RETURN = 0x0d;

/**
 * The line of every key (and array element) down to `maxDepth`, in one pass over text that
 * `JSON.parse` has already accepted: valid JSON needs no error handling here, strings hold no raw
 * line breaks, and each string is skipped with `indexOf` rather than character by character. This
 * is four times faster than a general JSON tokenizer on a 40 MB lockfile.
 */
function keyLines(text: string, maxDepth: number): Map<string, number> {
  const lines = new Map<string, number>();
  // Per open container: is it an array, the next array index, and the key or index it is at.
  const isArray: boolean[] = [];
  const nextIndex: number[] = [];
  const keys: (string | number)[] = [];
  let expectKey = false;
  let line = 1;
  const record = (depth: number, key: string | number) => {
    if (depth > maxDepth) return;
    let path = "";
    for (let d = 0; d < depth - 1; d++) path += `${keys[d]}${SEP}`;
    lines.set(path + String(key), line);
  };
  // An array element starts: record its index.
  const elementStarts = () => {
    const depth = isArray.length;
    if (depth > 0 && isArray[depth - 1]) {
      const index = nextIndex[depth - 1]!++;
      keys[depth - 1] = index;
      record(depth, index);
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
    } else if (c === SPACE || c === TAB || c === RETURN || c === COLON) {
      continue;
    } else if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (expectKey) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        keys[isArray.length - 1] = key;
        record(isArray.length, key);
        expectKey = false;
      } else {
        elementStarts();
      }
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      elementStarts();
      isArray.push(c === OPEN_ARRAY);
      nextIndex.push(0);
      keys.push("");
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      isArray.pop();
      nextIndex.pop();
      keys.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = !isArray[isArray.length - 1];
    } else {
      // A number, true, false or null: skip to its end.
      elementStarts();
      while (i + 1 < text.length && !isDelimiter(text.charCodeAt(i + 1))) i++;
    }
  }
  return lines;
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === SPACE || c === NEWLINE || c === RETURN || c === TAB;
}

/** The index of the quote that closes the string opened at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let backslashes = 0;
    for (let k = end - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/** JSON.parse says only "Unexpected token"; the scanner says where. */
function firstSyntaxError(text: string): DependencyParseError {
  let found: DependencyParseError | undefined;
  visit(
    text,
    {
      onError: (error: ParseErrorCode, _offset, _length, line, column) => {
        found ??= new DependencyParseError(`invalid JSON at line ${line + 1}, column ${column + 1}: ${printParseErrorCode(error)}`, line + 1);
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  return found ?? new DependencyParseError("invalid JSON");
}
