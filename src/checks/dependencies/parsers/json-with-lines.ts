/**
 * JSON that remembers where its keys are: `package-lock.json`, `Pipfile.lock`, `composer.lock` and
 * `packages.lock.json` are JSON, and a finding must sit on the line that declares the dependency.
 *
 * The value comes from `JSON.parse` (strict, fast, in C++); key lines from one pass of
 * `jsonc-parser`'s scanner, kept only down to `maxDepth` so that a 40 MB lockfile keeps one number per
 * package, not per field. Errors name the line and column. A UTF-8 BOM is allowed (Windows tools
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
export function parseJsonWithLines(text: string, maxDepth: number): JsonWithLines {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    throw firstSyntaxError(source);
  }
  const lines = new Map<string, number>();
  // The path of the container being visited; `keys[i]` is the key (or next index) at depth i + 1.
  const keys: (string | number)[] = [];
  const kinds: ("object" | "array")[] = [];
  // For arrays: the index the next element gets.
  const nextIndex: number[] = [];
  const pathKey = (depth: number, last: string | number) =>
    depth === 1 ? String(last) : `${keys.slice(0, depth - 1).join(SEP)}${SEP}${last}`;
  const beforeValue = (line: number) => {
    // An array element starts here: record its index and advance it.
    const depth = kinds.length;
    if (depth > 0 && kinds[depth - 1] === "array") {
      const index = nextIndex[depth - 1]!;
      nextIndex[depth - 1] = index + 1;
      keys[depth - 1] = index;
      if (depth <= maxDepth) lines.set(pathKey(depth, index), line + 1);
    }
  };
  visit(
    source,
    {
      onObjectBegin: (_o, _l, line) => {
        beforeValue(line);
        kinds.push("object");
        keys.push("");
        nextIndex.push(0);
      },
      onObjectEnd: () => {
        kinds.pop();
        keys.pop();
        nextIndex.pop();
      },
      onArrayBegin: (_o, _l, line) => {
        beforeValue(line);
        kinds.push("array");
        keys.push(0);
        nextIndex.push(0);
      },
      onArrayEnd: () => {
        kinds.pop();
        keys.pop();
        nextIndex.pop();
      },
      onObjectProperty: (property, _o, _l, line) => {
        const depth = kinds.length;
        keys[depth - 1] = property;
        if (depth <= maxDepth) lines.set(pathKey(depth, property), line + 1);
      },
      onLiteralValue: (_v, _o, _l, line) => beforeValue(line),
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  return {
    value,
    lineOf: (path) => (path.length === 0 || path.length > maxDepth ? undefined : lines.get(path.map(String).join(SEP))),
  };
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
