/**
 * pip requirement files (`requirements.txt`, `requirements-dev.txt`, `requirements/*.txt`,
 * `constraints.txt`), read the way pip reads them (pip's `req_file.py`):
 *
 * - A line ending in `\` continues on the next one; the requirement belongs to its FIRST physical
 *   line. A comment line ends a continuation (pip does the same).
 * - `#` starts a comment at the start of a line or after whitespace (`…#egg=x` in a URL is not one).
 * - Options start at the first word beginning with `-`: `--hash` values are recorded (the first is
 *   the `integrity`), the others (`--global-option`, `--config-settings`) are ignored.
 * - Option lines (`-i`, `--extra-index-url`, `-f`, `--trusted-host`, `--pre`, …) are not
 *   dependencies; `-r`/`-c` are includes, resolved to repository paths. An include that leaves the
 *   repository, is absolute or is a URL is not followed and becomes a warning.
 * - `-e`, bare URLs and local paths are dependencies with a `source` and no version. They are named
 *   by `#egg=`, by their archive file name, or else by the reference itself without credentials,
 *   query or fragment: guessing a project name from a repository name would invent names.
 *
 * Known limits: environment variables (`${VAR}`) are not expanded; markers are not evaluated; every
 * requirement is `direct` and none is `dev` (a file name like `requirements-dev.txt` is a hint, not
 * a fact).
 */
import { DependencyParseError, type Dependency, type DependencyFormat, type ParsedDependencyFile } from "../model.js";
import { baseName, folderOf } from "./file-name.js";
import { fieldsOfRequirement, isValidPypiName, nameFields, parsePep508, sourceFields, type RequirementFields } from "./pep508.js";

export const requirementsTxtFormat: DependencyFormat = {
  id: "requirements-txt",
  files: "requirements*.txt, requirements/*.txt, constraints*.txt",
  ecosystem: "PyPI",
  kind: "manifest",
  matches: isRequirementsFile,
  parse: parseRequirementsTxt,
};

function isRequirementsFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  if (!base.endsWith(".txt")) return false;
  if (base.includes("requirements") || base.includes("constraints")) return true;
  return baseName(folderOf(path)).toLowerCase() === "requirements";
}

interface LogicalLine {
  /** 1-based number of its first physical line. */
  readonly line: number;
  readonly text: string;
}

interface FileParts {
  readonly dependencies: Dependency[];
  readonly includes: { path: string; line: number }[];
  readonly warnings: string[];
}

function parseRequirementsTxt(text: string, path: string): ParsedDependencyFile {
  const parts: FileParts = { dependencies: [], includes: [], warnings: [] };
  for (const logical of logicalLines(text)) {
    const content = stripComment(logical.text).trim();
    if (content === "") continue;
    const { args, options } = splitArgsAndOptions(content);
    if (args === "") readOptionLine(options, logical.line, path, parts);
    else parts.dependencies.push(requirementLine(args, options, logical.line));
  }
  return {
    ecosystem: "PyPI",
    kind: "manifest",
    dependencies: parts.dependencies,
    ...(parts.includes.length > 0 ? { includes: parts.includes } : {}),
    ...(parts.warnings.length > 0 ? { warnings: parts.warnings } : {}),
  };
}

/** pip's `join_lines`: continuations joined, comment lines never continued. */
function* logicalLines(text: string): Generator<LogicalLine> {
  const physical = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/);
  let pending: string[] = [];
  let first = 0;
  for (let index = 0; index < physical.length; index++) {
    const raw = physical[index]!;
    const comment = /^\s*#/.test(raw);
    if (!raw.endsWith("\\") || comment) {
      if (pending.length === 0) {
        yield { line: index + 1, text: raw };
      } else {
        // A comment ends the continuation; the leading space keeps it a comment once joined.
        pending.push(comment ? ` ${raw}` : raw);
        yield { line: first, text: pending.join("") };
        pending = [];
      }
    } else {
      if (pending.length === 0) first = index + 1;
      pending.push(trimEnd(raw, "\\"));
    }
  }
  if (pending.length > 0) yield { line: first, text: pending.join("") };
}

/** pip's `(^|\s+)#.*$`, without a regular expression that backtracks over long runs of spaces. */
function stripComment(line: string): string {
  for (let i = line.indexOf("#"); i !== -1; i = line.indexOf("#", i + 1)) {
    if (i === 0 || /\s/.test(line[i - 1]!)) return line.slice(0, i);
  }
  return line;
}

/** pip's `break_args_options`: the requirement is every word before the first that starts with `-`. */
function splitArgsAndOptions(line: string): { args: string; options: string[] } {
  const words = line.split(/[ \t]+/);
  const firstOption = words.findIndex((word) => word.startsWith("-"));
  if (firstOption === -1) return { args: line, options: [] };
  return { args: words.slice(0, firstOption).join(" "), options: words.slice(firstOption).map(unquote) };
}

const INCLUDE_OPTIONS = new Set(["-r", "--requirement", "-c", "--constraint"]);
const EDITABLE_OPTIONS = new Set(["-e", "--editable"]);
const OPTIONS_WITH_VALUE = new Set([
  ...INCLUDE_OPTIONS,
  ...EDITABLE_OPTIONS,
  "-i",
  "--index-url",
  "--extra-index-url",
  "-f",
  "--find-links",
  "--trusted-host",
  "--no-binary",
  "--only-binary",
  "--use-feature",
  "--hash",
  "--global-option",
  "--install-option",
  "-C",
  "--config-settings",
]);

interface Option {
  readonly name: string;
  readonly value?: string;
}

/** `--opt=value`, `--opt value`, `-rfile`, `-r file`; flags have no value. */
function* readOptions(words: readonly string[]): Generator<Option> {
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith("-")) continue;
    const equals = word.startsWith("--") ? word.indexOf("=") : -1;
    if (equals !== -1) {
      yield { name: word.slice(0, equals), value: word.slice(equals + 1) };
    } else if (!word.startsWith("--") && word.length > 2) {
      yield { name: word.slice(0, 2), value: word.slice(2) };
    } else if (OPTIONS_WITH_VALUE.has(word) && i + 1 < words.length) {
      yield { name: word, value: words[++i]! };
    } else {
      yield { name: word };
    }
  }
}

function readOptionLine(words: readonly string[], line: number, path: string, parts: FileParts): void {
  for (const option of readOptions(words)) {
    if (!OPTIONS_WITH_VALUE.has(option.name)) continue;
    if (option.value === undefined || option.value === "") {
      throw new DependencyParseError(`option ${option.name} at line ${line} needs a value`, line);
    }
    if (INCLUDE_OPTIONS.has(option.name)) addInclude(option.value, line, path, parts);
    else if (EDITABLE_OPTIONS.has(option.name)) parts.dependencies.push(dependency(directReference(option.value, line), line));
  }
}

function requirementLine(args: string, options: readonly string[], line: number): Dependency {
  const hash = firstHash(options);
  const fields = requirementFields(args, line);
  return { ...dependency(fields, line), ...(hash === undefined ? {} : { integrity: hash }) };
}

function firstHash(words: readonly string[]): string | undefined {
  for (const option of readOptions(words)) {
    if (option.name === "--hash" && option.value) return option.value;
  }
  return undefined;
}

function dependency(fields: RequirementFields, line: number): Dependency {
  return { ecosystem: "PyPI", ...fields, line, direct: true };
}

const URL_SCHEME = /^(?:(?:git|hg|svn|bzr)\+[A-Za-z][A-Za-z0-9+.-]*:|git:|https?:|ftp:|file:)/i;
// `name @ url` and `name[extras] @ url`: a named reference, parsed as PEP 508 even though it holds a "/".
const NAMED_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\]\s*)?@/;
const ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$/i;

function requirementFields(args: string, line: number): RequirementFields {
  if (URL_SCHEME.test(args) || looksLikePath(args)) return directReference(args, line);
  return fieldsOfRequirement(parsePep508(args, line));
}

function looksLikePath(args: string): boolean {
  if (NAMED_REFERENCE.test(args)) return false;
  const first = /^[^\s;[]*/.exec(args)![0];
  return first.startsWith(".") || first.startsWith("~") || first.includes("/") || first.includes("\\") || ARCHIVE.test(first);
}

/** A URL or path requirement (`-e` value, bare URL, `./dir[extra]`), with an optional `; marker` pip allows after it. */
function directReference(value: string, line: number): RequirementFields {
  const end = value.search(/\s/);
  let reference = end === -1 ? value : value.slice(0, end);
  const rest = end === -1 ? "" : value.slice(end).trim();
  if (rest !== "" && !rest.startsWith(";") && !reference.endsWith(";")) {
    throw new DependencyParseError(`invalid requirement at line ${line}: unexpected text after a URL or path (a marker needs "; ")`, line);
  }
  if (reference.endsWith(";")) reference = reference.slice(0, -1);
  if (URL_SCHEME.test(reference)) {
    const project = projectOfUrl(reference);
    return { ...(project === undefined ? { name: displayName(reference) } : nameFields(project)), ...sourceFields(reference) };
  }
  const path = withoutExtras(reference);
  const archiveName = nameOfArchive(baseName(path.replace(/\\/g, "/")));
  return { ...(archiveName === undefined ? { name: path } : nameFields(archiveName)), source: { kind: "file", spec: path }, unpinned: "local path requirement" };
}

/** The project a URL names by `#egg=` or by the archive it points at. */
function projectOfUrl(url: string): string | undefined {
  const egg = /[#&]egg=([^&]+)/.exec(url)?.[1]?.replace(/\[.*$/, "");
  if (egg !== undefined && isValidPypiName(egg)) return egg;
  const path = trimEnd(url.replace(/[?#].*$/, ""), "/");
  return nameOfArchive(baseName(path));
}

/** A URL fit to name a dependency in a report: no user information, query or fragment (tokens live there). */
function displayName(url: string): string {
  return url.replace(/\/\/[^/@\s]*@/, "//").replace(/[?#].*$/, "");
}

/** The project of a wheel or sdist file name: `requests-2.31.0-py3-none-any.whl`, `my-pkg-1.0.tar.gz`. */
function nameOfArchive(fileName: string): string | undefined {
  if (!ARCHIVE.test(fileName)) return undefined;
  const stem = fileName.replace(ARCHIVE, "");
  const name = /^(.+?)-\d/.exec(stem)?.[1] ?? stem;
  return isValidPypiName(name) ? name : undefined;
}

function addInclude(target: string, line: number, path: string, parts: FileParts): void {
  const resolved = resolveInclude(folderOf(path), target);
  if (typeof resolved === "string") parts.includes.push({ path: resolved, line });
  else parts.warnings.push(`line ${line}: ${resolved.problem}; not followed`);
}

/** A repository path for `target` relative to `folder`, or why there is none. */
export function resolveInclude(folder: string, target: string): string | { readonly problem: string } {
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(target)) return { problem: "the included requirements file is a URL" };
  const normalised = target.replace(/\\/g, "/");
  if (normalised.startsWith("/") || /^[A-Za-z]:\//.test(normalised) || normalised.startsWith("~")) {
    return { problem: `"${target}" is an absolute path` };
  }
  const segments = folder === "" ? [] : folder.split("/");
  for (const segment of normalised.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment !== "..") segments.push(segment);
    else if (segments.length > 0) segments.pop();
    else return { problem: `"${target}" points outside the repository` };
  }
  if (segments.length === 0) return { problem: `"${target}" is not a file` };
  return segments.join("/");
}

/** `./dir[dev,test]` -> `./dir` (string search: a regular expression here backtracks on `[[[[…`). */
function withoutExtras(reference: string): string {
  const open = reference.lastIndexOf("[");
  return reference.endsWith("]") && open !== -1 ? reference.slice(0, open) : reference;
}

/** `text` without trailing `char`s. A loop: `/x+$/` is quadratic on a long run of x not at the end. */
function trimEnd(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

function unquote(word: string): string {
  return word.length >= 2 && (word[0] === '"' || word[0] === "'") && word.at(-1) === word[0] ? word.slice(1, -1) : word;
}
