/**
 * PEP 508 requirement strings (`requests[socks]>=2.31,<3; python_version >= "3.8"`,
 * `pkg @ https://…`): the lines of `requirements.txt` and the entries of `pyproject.toml`'s
 * `[project] dependencies`, `optional-dependencies` and `[dependency-groups]`.
 *
 * A hand-written scanner rather than one big regular expression: input is hostile and a
 * backtracking pattern over a 100 KB line is a denial of service. Markers are kept as text and never
 * evaluated: a dependency behind `sys_platform == "win32"` is still a dependency of the project.
 * Only `==X` (no wildcard) and `===X` pin a version; anything else cannot be looked up, and says why
 * in `unpinned`.
 */
import { DependencyParseError, type DependencySource } from "../model.js";
import { normalizePypiName } from "./pep503.js";

export interface Pep508Requirement {
  /** As written (normalise with `normalizePypiName` to look it up). */
  readonly name: string;
  readonly extras: readonly string[];
  /** Version clauses with whitespace removed (`>=2.0`, `<3`); empty when there are none. */
  readonly specifiers: readonly string[];
  /** The direct reference of `name @ url`. */
  readonly url?: string;
  /** The environment marker after `;`, as written. */
  readonly marker?: string;
}

/** The fields a requirement gives a `Dependency` (the caller adds ecosystem, line, direct, dev). */
export interface RequirementFields {
  readonly name: string;
  readonly declaredName?: string;
  readonly version?: string;
  readonly requirement?: string;
  readonly unpinned?: string;
  readonly source?: DependencySource;
}

const NAME = /[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/y;
const WHOLE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const CLAUSE = /^(===|==|!=|<=|>=|~=|<|>)\s*(\S+)$/;
// pip expands `${NAME}` in requirement files before parsing; such a version is kept but is no pin.
const VERSION = /^(?:[A-Za-z0-9_.*+!-]|\$\{[A-Za-z0-9_]+\})+$/;
const ARBITRARY_VERSION = /^[^\s,;()]+$/;
// Hatch's context formatting of a local folder: `{root:uri}`, `{root:parent:uri}`, `{home:uri}`.
const HATCH_LOCAL_URI = /^\{(?:root|home)(?::parent)*:uri\}/;

export function isValidPypiName(name: string): boolean {
  return WHOLE_NAME.test(name);
}

/** Parses one requirement; throws `DependencyParseError` naming `line` when it is not PEP 508. */
export function parsePep508(text: string, line: number): Pep508Requirement {
  const fail = (reason: string) => new DependencyParseError(`invalid requirement at line ${line}: ${reason}`, line);
  let i = skipSpaces(text, 0);
  NAME.lastIndex = i;
  const nameMatch = NAME.exec(text);
  if (!nameMatch) throw fail(`expected a project name, got ${describeChar(text, i)}`);
  const name = nameMatch[0];
  i = skipSpaces(text, i + name.length);

  let extras: string[] = [];
  if (text[i] === "[") {
    const close = text.indexOf("]", i);
    if (close === -1) throw fail(`unclosed "[" after "${name}"`);
    extras = parseExtras(text.slice(i + 1, close), name, fail);
    i = skipSpaces(text, close + 1);
  }

  let specifiers: string[] = [];
  let url: string | undefined;
  const c = text[i];
  if (c === "@") {
    i = skipSpaces(text, i + 1);
    const start = i;
    while (i < text.length && !isSpace(text.charCodeAt(i))) i++;
    if (i === start) throw fail(`"${name} @" must be followed by a URL`);
    url = text.slice(start, i);
    i = skipSpaces(text, i);
  } else if (c === "(") {
    const close = text.indexOf(")", i);
    if (close === -1) throw fail(`unclosed "(" after "${name}"`);
    specifiers = parseSpecifiers(text.slice(i + 1, close), name, fail);
    i = skipSpaces(text, close + 1);
  } else if (c === "<" || c === ">" || c === "=" || c === "!" || c === "~") {
    const semicolon = text.indexOf(";", i);
    const end = semicolon === -1 ? text.length : semicolon;
    specifiers = parseSpecifiers(text.slice(i, end), name, fail);
    i = end;
  }

  let marker: string | undefined;
  if (i < text.length) {
    if (text[i] !== ";") {
      throw fail(`after "${name}" expected a version specifier, [extras], "@ URL" or "; marker", got ${describeChar(text, i)}`);
    }
    marker = text.slice(i + 1).trim();
    if (marker === "") throw fail(`empty environment marker after ";" for "${name}"`);
  }
  return { name, extras, specifiers, ...(url === undefined ? {} : { url }), ...(marker === undefined ? {} : { marker }) };
}

/** The dependency fields of a parsed requirement: normalised name, pin or the reason there is none, source. */
export function fieldsOfRequirement(requirement: Pep508Requirement): RequirementFields {
  const named = nameFields(requirement.name);
  if (requirement.url !== undefined) return { ...named, ...sourceFields(requirement.url) };
  const specifier = requirement.specifiers.join(",");
  if (specifier === "") return { ...named, unpinned: "no version specifier" };
  const version = pinnedVersion(requirement.specifiers);
  return version === undefined
    ? { ...named, requirement: specifier, unpinned: `unpinned range "${specifier}"` }
    : { ...named, version, requirement: specifier };
}

/** `name` normalised, with `declaredName` when the spelling differs. */
export function nameFields(declared: string): { readonly name: string; readonly declaredName?: string } {
  const name = normalizePypiName(declared);
  return name === declared ? { name } : { name, declaredName: declared };
}

/** The exact version a specifier list pins: one `==X` clause without a wildcard, or `===X`. */
export function pinnedVersion(specifiers: readonly string[]): string | undefined {
  const pins = specifiers.filter((clause) => clause.startsWith("=="));
  if (pins.length !== 1) return undefined;
  const pin = pins[0]!;
  const arbitrary = pin.startsWith("===");
  const version = pin.slice(arbitrary ? 3 : 2);
  if (version.includes("$")) return undefined;
  if (!arbitrary && version.includes("*")) return undefined;
  return version;
}

/** A direct reference (`git+https://…`, `https://…/x.whl`, `file:///…`) as a source, with why it has no version. */
export function sourceFields(url: string): { readonly source: DependencySource; readonly unpinned: string } {
  const kind = sourceKindOfUrl(url);
  const unpinned = kind === "git" ? "git requirement" : kind === "file" ? "local path requirement" : "URL requirement";
  return { source: { kind, spec: url }, unpinned };
}

/**
 * `git+…` is git; `file:` is a local path, and so is Hatch's context formatting of one
 * (`pkg @ {root:uri}/../pkg`, `{root:parent:uri}`, `{home:uri}`: Hatch writes a `file:` URI there
 * at build time); everything else, including Mercurial, Subversion and Bazaar URLs
 * (`hg+https://…`), is a URL: the model has no kind for other version control systems.
 */
export function sourceKindOfUrl(url: string): DependencySource["kind"] {
  if (/^git(?:\+|:\/\/)/i.test(url)) return "git";
  if (/^file:/i.test(url) || HATCH_LOCAL_URI.test(url)) return "file";
  return "url";
}

function parseExtras(inner: string, name: string, fail: (reason: string) => Error): string[] {
  if (inner.trim() === "") return [];
  return inner.split(",").map((part) => {
    const extra = part.trim();
    if (!WHOLE_NAME.test(extra)) throw fail(`invalid extra name in "${name}[…]"`);
    return extra;
  });
}

function parseSpecifiers(text: string, name: string, fail: (reason: string) => Error): string[] {
  return text.split(",").map((part) => {
    const match = CLAUSE.exec(part.trim());
    if (!match) throw fail(`invalid version clause for "${name}": expected an operator (==, >=, ~=, …) and a version`);
    const [, operator, version] = match as unknown as [string, string, string];
    const valid = operator === "===" ? ARBITRARY_VERSION.test(version) : VERSION.test(version);
    if (!valid) throw fail(`invalid version in "${name}${operator}…"`);
    return operator + version;
  });
}

function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a;
}

/** One character of the input for a message (never more: the line may hold a credential). */
function describeChar(text: string, i: number): string {
  return i >= text.length ? "the end of the line" : JSON.stringify(text[i]);
}
