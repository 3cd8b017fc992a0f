/**
 * YAML from repositories, read safely and with positions: the config loader, lockfiles
 * (`pnpm-lock.yaml`) and policy audits (workflows, Kubernetes) all parse hostile YAML through here.
 *
 * - Aliases are capped ("billion laughs": a few are normal, expanding thousands is an attack).
 * - Duplicate keys are errors (a second `on:` must not hide the first from a reviewer).
 * - Every problem names its line and column; the parser's own message is cut to its first line
 *   (the rest is a code frame quoting the file).
 */
import { Lexer, LineCounter, isMap, isNode, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Document } from "yaml";

export const DEFAULT_MAX_ALIAS_COUNT = 100;
/**
 * Deepest nesting accepted. The `yaml` library parses recursively and runs out of memory (a crash
 * no `catch` sees) at about 10,000 nested `[`; real files nest a few dozen levels.
 */
export const MAX_NESTING = 500;

export class YamlError extends Error {
  constructor(
    message: string,
    /** 1-based, when known. */
    readonly line?: number,
    readonly column?: number,
    /** Every problem of the document, one line each (the message is the first). */
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = "YamlError";
  }
}

export interface YamlOptions {
  /** Most aliases a document may expand. Default 100. */
  readonly maxAliasCount?: number;
  /** Duplicate keys are errors (default `true`). */
  readonly uniqueKeys?: boolean;
}

export interface ParsedYaml {
  /** The document as plain data (`null` for an empty document). */
  readonly value: unknown;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/** One YAML document. Throws `YamlError` for syntax errors, duplicate keys and alias bombs. */
export function parseYaml(text: string, options: YamlOptions = {}): ParsedYaml {
  assertNestingBounded(text);
  const lineCounter = new LineCounter();
  // The library's own duplicate-key check is quadratic per mapping; ours (below) is linear.
  const doc = parseDocument(stripBom(text), { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: "error" });
  return toParsed(doc, lineCounter, options);
}

/** Every document of a multi-document stream (`---` separated: Kubernetes manifests, Helm output). */
export function parseYamlDocuments(text: string, options: YamlOptions = {}): ParsedYaml[] {
  assertNestingBounded(text);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(stripBom(text), { lineCounter, prettyErrors: false, uniqueKeys: false, logLevel: "error" });
  // An empty stream gives an EmptyStream, which is iterable and has no documents.
  return Array.from(docs as Iterable<Document>, (doc) => toParsed(doc, lineCounter, options));
}

function toParsed(doc: Document, lineCounter: LineCounter, options: YamlOptions): ParsedYaml {
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const problems = doc.errors.map((e) => {
      const at = lineCounter.linePos(e.pos[0]);
      const what = e.code === "DUPLICATE_KEY" ? "duplicate key" : "invalid YAML";
      return `${what} at line ${at.line}, column ${at.col}: ${e.message.split("\n")[0]}`;
    });
    throw new YamlError(problems[0]!, pos.line, pos.col, problems);
  }
  if (options.uniqueKeys !== false) assertUniqueKeys(doc, lineCounter);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT }) ?? null;
  } catch (error) {
    throw new YamlError(`invalid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  return { value, doc, lineCounter };
}

/**
 * Duplicate keys in linear time: one `Set` per mapping (the `yaml` library compares each key with
 * every earlier one, which took a minute on a 20,000-package `pnpm-lock.yaml`). An explicit stack,
 * so hostile nesting cannot overflow the call stack; aliases are not followed (what they point at is
 * checked where it is defined). Only scalar keys are compared, as the library does in practice.
 */
function assertUniqueKeys(doc: Document, lineCounter: LineCounter): void {
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (isScalar(pair.key) || pair.key === null) {
          const key = isScalar(pair.key) ? pair.key.value : null;
          if (seen.has(key)) {
            const pos = isNode(pair.key) && pair.key.range ? lineCounter.linePos(pair.key.range[0]) : undefined;
            const where = pos ? ` at line ${pos.line}, column ${pos.col}` : "";
            throw new YamlError(`duplicate key${where}: ${JSON.stringify(String(key).slice(0, 120))} appears twice in one mapping`, pos?.line, pos?.col);
          }
          seen.add(key);
        }
        stack.push(pair.key, pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(isPair(item) ? item.value : item);
    }
  }
}

/** The 1-based line of a node (its first character), when it has a position. */
export function lineOfNode(parsed: Pick<ParsedYaml, "lineCounter">, node: unknown): number | undefined {
  return isNode(node) && node.range ? parsed.lineCounter.linePos(node.range[0]).line : undefined;
}

/**
 * The line of the key at `path` (of its key, not its value, which for a block list or mapping sits
 * on the next line). A path that does not exist in the file, such as a missing required key, points
 * at the deepest part that does.
 */
export function lineOfPath(parsed: Pick<ParsedYaml, "doc" | "lineCounter">, path: readonly PropertyKey[]): number | undefined {
  let node: unknown = parsed.doc.contents;
  let line = lineOfNode(parsed, node);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) break;
      line = lineOfNode(parsed, pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      line = lineOfNode(parsed, node) ?? line;
    } else break;
  }
  return line;
}

/** The lines of every key of the mapping at `path`, by key text: one pass, for tables with thousands of entries. */
export function keyLinesAt(parsed: Pick<ParsedYaml, "doc" | "lineCounter">, path: readonly PropertyKey[]): Map<string, number> {
  let node: unknown = parsed.doc.contents;
  for (const key of path) {
    if (!isMap(node)) return new Map();
    const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
    node = pair?.value;
  }
  const lines = new Map<string, number>();
  if (!isMap(node)) return lines;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const line = lineOfNode(parsed, pair.key);
    if (line !== undefined && (typeof key === "string" || typeof key === "number")) lines.set(String(key), line);
  }
  return lines;
}

/**
 * Refuses input nested deeper than `MAX_NESTING` before the parser sees it: flow collections
 * (`[[[…`, `{{{…`) and block collections opened on one line (`- - - …`, `? ? ? …`, `a: b: c: …`,
 * each costing the parser memory and time though it ends in an error). Counted on the library's own
 * lexer, which is linear and keeps no tree, so an indicator is counted exactly where the parser
 * will nest on it: a scan of our own once took the apostrophe of a plain `don't` for an opening
 * quote, hid every bracket after it, and let a 10 MB file run the parser out of memory.
 */
function assertNestingBounded(text: string): void {
  let depth = 0;
  let onLine = 0;
  let line = 1;
  const refuse = () => new YamlError(`invalid YAML at line ${line}: nested deeper than ${MAX_NESTING} levels`, line);
  for (const token of new Lexer().lex(text)) {
    if (token === "[" || token === "{") {
      if (++depth > MAX_NESTING) throw refuse();
    } else if (token === "]" || token === "}") {
      if (depth > 0) depth--;
    } else if (token === "-" || token === "?" || token === ":") {
      // Block indicators; inside a flow collection `:` separates a key from its value and nests nothing.
      if (depth === 0 && ++onLine > MAX_NESTING) throw refuse();
    } else {
      // Newline tokens, and scalars and comments that span lines (block scalars, quoted strings).
      for (let i = token.indexOf("\n"); i !== -1; i = token.indexOf("\n", i + 1)) {
        line++;
        onLine = 0;
      }
    }
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
