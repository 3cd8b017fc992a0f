/**
 * `go.mod`: a manifest, but Go's minimal version selection makes every `require` an exact version,
 * so each one can be looked up as is. Format facts (golang.org/x/mod/modfile):
 *
 * - Directives are one line (`require x v1.2.3`) or a parenthesised block (`require ( … )`); tokens
 *   are bare words or Go strings (`"x"`, `` `x` ``); `//` comments run to the end of the line.
 * - `// indirect` after a requirement marks a module no package of this module imports.
 * - Pseudo-versions (`v0.0.0-20210101000000-abcdef123456`) and `+incompatible` are kept as written:
 *   OSV's Go versions use the same spelling.
 * - `replace old [v] => new v2` makes Go download `new@v2` instead: that is what is looked up, on
 *   the `require` line (the change a reviewer sees). A replacement by a directory (`=> ../x`) is a
 *   local source with no version. A version-specific replace wins over a version-less one.
 * - `module`, `go`, `toolchain`, `godebug`, `tool`, `ignore`, `exclude` and `retract` declare no dependency.
 *
 * Known limit: a non-canonical version (`v1.2`, a branch name) is what `go get` rewrites on the next
 * build; it is reported as unpinned rather than guessed.
 */
import { baseName } from "./file-name.js";
import { DependencyParseError, type Dependency, type DependencyFormat, type ParsedDependencyFile } from "../model.js";

const KNOWN_DIRECTIVES = new Set(["module", "go", "toolchain", "godebug", "require", "replace", "exclude", "retract", "tool", "ignore"]);

/** `vMAJOR.MINOR.PATCH[-pre][+build]`, which covers pseudo-versions and `+incompatible`. */
const CANONICAL_VERSION = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

type Token = { readonly kind: "word" | "string"; readonly text: string } | { readonly kind: "(" | ")" | "=>" | "punct"; readonly text: string };

interface LexedLine {
  readonly tokens: readonly Token[];
  /** The text of a trailing `//` comment, without the slashes. */
  readonly comment?: string;
}

interface Requirement {
  readonly path: string;
  readonly version: string;
  readonly line: number;
  readonly indirect: boolean;
}

interface Replacement {
  readonly oldVersion?: string;
  readonly newPath: string;
  readonly newVersion?: string;
}

export const goModFormat: DependencyFormat = {
  id: "go-mod",
  files: "go.mod",
  ecosystem: "Go",
  kind: "manifest",
  matches: (path) => baseName(path) === "go.mod",
  parse: parseGoMod,
};

function parseGoMod(text: string): ParsedDependencyFile {
  const requirements: Requirement[] = [];
  const replacements = new Map<string, Replacement[]>();
  let hasModule = false;
  for (const statement of statements(text)) {
    hasModule ||= statement.verb === "module";
    if (statement.verb === "require") requirements.push(toRequirement(statement));
    else if (statement.verb === "replace") addReplacement(replacements, statement);
    else checkArity(statement);
  }
  // What `go` itself says of such a file; it also keeps a stray text file from passing as "no dependencies".
  if (!hasModule) throw new DependencyParseError("missing module declaration (go.mod starts with `module path`)", 1);
  const warnings: string[] = [];
  const dependencies = requirements.map((requirement) => toDependency(requirement, replacements, warnings));
  return { ecosystem: "Go", kind: "manifest", dependencies, ...(warnings.length > 0 ? { warnings } : {}) };
}

interface Statement {
  readonly verb: string;
  /** The tokens after the verb (inside a block: the whole line). */
  readonly args: readonly Token[];
  readonly comment?: string;
  readonly line: number;
}

/** Every directive of the file, block entries flattened to one statement per line. */
function* statements(text: string): Generator<Statement> {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = source.split(/\r?\n/);
  let block: { verb: string; line: number } | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const { tokens, comment } = lex(lines[index]!, line);
    if (tokens.length === 0) continue;
    const first = tokens[0]!;
    if (block) {
      if (first.kind === ")") {
        if (tokens.length > 1) throw new DependencyParseError(`unexpected text after ")" at line ${line}`, line);
        block = undefined;
        continue;
      }
      yield { verb: block.verb, args: tokens, comment, line };
      continue;
    }
    if (first.kind !== "word") throw new DependencyParseError(`expected a directive at line ${line}, found ${JSON.stringify(first.text)}`, line);
    if (!KNOWN_DIRECTIVES.has(first.text)) throw new DependencyParseError(`unknown directive "${first.text}" at line ${line}`, line);
    if (tokens[1]?.kind === "(") {
      if (tokens.length === 3 && tokens[2]!.kind === ")") continue;
      if (tokens.length > 2) throw new DependencyParseError(`unexpected text after "(" at line ${line}`, line);
      block = { verb: first.text, line };
      continue;
    }
    yield { verb: first.text, args: tokens.slice(1), comment, line };
  }
  if (block) throw new DependencyParseError(`"${block.verb} (" at line ${block.line} is never closed`, block.line);
}

function toRequirement(statement: Statement): Requirement {
  const { args, line } = statement;
  if (args.length !== 2 || !isValue(args[0]!) || !isValue(args[1]!)) {
    throw new DependencyParseError(`require at line ${line}: expected "module/path version"`, line);
  }
  return { path: args[0]!.text, version: args[1]!.text, line, indirect: isIndirect(statement.comment) };
}

/** The directives that declare no dependency still have a shape; a line that breaks it is a broken file. */
const ARITY: Readonly<Record<string, number>> = { module: 1, go: 1, toolchain: 1, godebug: 1, tool: 1, ignore: 1, exclude: 2 };

function checkArity({ verb, args, line }: Statement): void {
  const expected = ARITY[verb];
  if (expected !== undefined && (args.length !== expected || !args.every(isValue))) {
    throw new DependencyParseError(`${verb} at line ${line}: expected ${expected} argument${expected === 1 ? "" : "s"}`, line);
  }
}

/** modfile's rule: the comment is `indirect`, or starts with `indirect;` (followed by other notes). */
function isIndirect(comment: string | undefined): boolean {
  const text = comment?.trim();
  return text === "indirect" || (text?.startsWith("indirect;") ?? false);
}

function addReplacement(replacements: Map<string, Replacement[]>, { args, line }: Statement): void {
  const arrow = args.findIndex((token) => token.kind === "=>");
  const before = args.slice(0, arrow);
  const after = args.slice(arrow + 1);
  const malformed = arrow === -1 || before.length < 1 || before.length > 2 || after.length < 1 || after.length > 2;
  if (malformed || ![...before, ...after].every(isValue)) {
    throw new DependencyParseError(`replace at line ${line}: expected "module [version] => replacement [version]"`, line);
  }
  const newPath = after[0]!.text;
  const newVersion = after[1]?.text;
  if (isDirectoryPath(newPath) && newVersion !== undefined) {
    throw new DependencyParseError(`replace at line ${line}: a directory replacement (${newPath}) takes no version`, line);
  }
  if (!isDirectoryPath(newPath) && newVersion === undefined) {
    throw new DependencyParseError(`replace at line ${line}: a module replacement needs a version (or a directory path starting with ./ or ../)`, line);
  }
  const oldPath = before[0]!.text;
  const list = replacements.get(oldPath) ?? [];
  list.push({ oldVersion: before[1]?.text, newPath, newVersion });
  replacements.set(oldPath, list);
}

function toDependency(requirement: Requirement, replacements: ReadonlyMap<string, readonly Replacement[]>, warnings: string[]): Dependency {
  const candidates = replacements.get(requirement.path) ?? [];
  // As in Go: a replace naming this exact version wins over one that names none; the last of each kind wins.
  const replacement =
    candidates.findLast((r) => r.oldVersion === requirement.version) ?? candidates.findLast((r) => r.oldVersion === undefined);
  const base = { ecosystem: "Go" as const, line: requirement.line, direct: !requirement.indirect, requirement: requirement.version };
  if (!replacement) return { ...base, name: requirement.path, ...versionFields(requirement.path, requirement.version, warnings) };
  const replaced = { ...base, name: replacement.newPath, declaredName: requirement.path };
  if (replacement.newVersion === undefined) {
    return { ...replaced, source: { kind: "file", spec: replacement.newPath }, unpinned: "replaced by a local directory" };
  }
  return { ...replaced, ...versionFields(replacement.newPath, replacement.newVersion, warnings) };
}

function versionFields(path: string, version: string, warnings: string[]): { version: string } | { unpinned: string } {
  if (CANONICAL_VERSION.test(version)) return { version };
  // Go reads `v1` and `v1.2` as v1.0.0 and v1.2.0 (module.CanonicalVersion).
  const short = /^v(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/.exec(version);
  if (short) return { version: `v${short[1]}.${short[2] ?? "0"}.0` };
  warnings.push(`${path} ${version} is not a canonical module version; go rewrites it on the next build, so it is not looked up`);
  return { unpinned: `non-canonical version "${version}"` };
}

/** modfile.IsDirectoryPath: relative, rooted or drive-letter paths are directories; anything else is a module path. */
function isDirectoryPath(path: string): boolean {
  return (
    path === "." ||
    path === ".." ||
    /^(\.{1,2}[/\\]|[/\\])/.test(path) ||
    /^[A-Za-z]:/.test(path)
  );
}

function isValue(token: Token): boolean {
  return token.kind === "word" || token.kind === "string";
}

/** A bare word runs to whitespace, a bracket, a quote, `//` or `=>`. */
const SPACE = /\s/;
const WORD = /(?:[^\s()[\],"`/=]|\/(?!\/)|=(?!>))+/y;

/** Splits one line into tokens as modfile's lexer does; strings do not span lines. */
function lex(text: string, line: number): LexedLine {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (SPACE.test(c)) {
      i++;
    } else if (text.startsWith("//", i)) {
      return { tokens, comment: text.slice(i + 2) };
    } else if (text.startsWith("=>", i)) {
      tokens.push({ kind: "=>", text: "=>" });
      i += 2;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c, text: c });
      i++;
    } else if (c === "[" || c === "]" || c === ",") {
      // Only `retract [v1, v2]` intervals use these.
      tokens.push({ kind: "punct", text: c });
      i++;
    } else if (c === '"' || c === "`") {
      const end = stringEnd(text, i, line);
      tokens.push({ kind: "string", text: unquote(text.slice(i, end), line) });
      i = end;
    } else {
      // Every other branch has ruled out what ends a word here, so the match is never empty.
      WORD.lastIndex = i;
      const word = WORD.exec(text)![0];
      tokens.push({ kind: "word", text: word });
      i += word.length;
    }
  }
  return { tokens };
}

function stringEnd(text: string, start: number, line: number): number {
  const quote = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    if (quote === '"' && text[i] === "\\") i++;
    else if (text[i] === quote) return i + 1;
  }
  throw new DependencyParseError(`unterminated string at line ${line}`, line);
}

function unquote(literal: string, line: number): string {
  if (literal.startsWith("`")) return literal.slice(1, -1);
  try {
    // Go's escapes that module paths can use (\" \\ \t \uXXXX) mean the same in JSON.
    return JSON.parse(literal) as string;
  } catch {
    throw new DependencyParseError(`invalid quoted string ${literal} at line ${line}`, line);
  }
}
