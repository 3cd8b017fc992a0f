/**
 * `pyproject.toml`, the manifest of modern Python projects, in the three places dependencies live:
 *
 * - PEP 621 `[project] dependencies` and `[project.optional-dependencies]` (extras: installed by
 *   users who ask for them, so not dev): PEP 508 strings, parsed like `requirements.txt` lines.
 *   Only `==X` and `===X` pin a version.
 * - PEP 735 `[dependency-groups]` (dev): PEP 508 strings and `{ include-group = "…" }` tables, which
 *   name another group and are not dependencies.
 * - Poetry `[tool.poetry.dependencies]`, `[tool.poetry.group.<g>.dependencies]` and the older
 *   `[tool.poetry.dev-dependencies]` (dev, except the `main` group): keys are names (`python` is the
 *   interpreter), values are constraints (`"^1.2"`; a bare version `"1.2.3"` or `"==1.2.3"` is
 *   exact) or tables `{ version, git, path, url, optional, … }`, or arrays of such tables (one
 *   constraint per Python version or platform: each is a dependency).
 *
 * `[build-system] requires` is not read: build tools are not the project's dependencies.
 * A Poetry 2 project may name a package in both `[project]` and `[tool.poetry.dependencies]` (the
 * latter only adds a source); both are reported, each on its own line.
 */
import type * as Pep440 from "@renovatebot/pep440";
import { lazyRequire } from "../../../core/lazy-require.js";
import type { TomlTable } from "smol-toml";
import { DependencyParseError, type Dependency, type DependencyFormat, type ParsedDependencyFile } from "../model.js";
import { baseName } from "./file-name.js";
import { fieldsOfRequirement, nameFields, parsePep508, sourceKindOfUrl, type RequirementFields } from "./pep508.js";
import { isTomlTable, parseTomlWithLines, type TomlPath, type TomlWithLines } from "./toml-lines.js";

const pep440 = lazyRequire<typeof Pep440>("@renovatebot/pep440");

export const pyprojectTomlFormat: DependencyFormat = {
  id: "pyproject-toml",
  files: "pyproject.toml",
  ecosystem: "PyPI",
  kind: "manifest",
  matches: (path) => baseName(path) === "pyproject.toml",
  parse: parsePyprojectToml,
};

function parsePyprojectToml(text: string): ParsedDependencyFile {
  const toml = parseTomlWithLines(text, { arrayElements: true });
  const reader = new PyprojectReader(toml);
  const { project, tool } = toml.value;
  if (isTomlTable(project)) {
    reader.requirementList(["project", "dependencies"], false);
    reader.eachGroup(["project", "optional-dependencies"], () => false, (path, dev) => reader.requirementList(path, dev));
  }
  reader.eachGroup(["dependency-groups"], () => true, (path, dev) => reader.requirementList(path, dev));
  const poetry = isTomlTable(tool) ? tool.poetry : undefined;
  if (isTomlTable(poetry)) {
    reader.poetryTable(["tool", "poetry", "dependencies"], false);
    reader.poetryTable(["tool", "poetry", "dev-dependencies"], true);
    reader.eachGroup(["tool", "poetry", "group"], (group) => group !== "main", (path, dev) => reader.poetryTable([...path, "dependencies"], dev));
  }
  return { ecosystem: "PyPI", kind: "manifest", dependencies: reader.dependencies };
}

class PyprojectReader {
  readonly dependencies: Dependency[] = [];

  constructor(private readonly toml: TomlWithLines) {}

  /** A list of PEP 508 strings (and PEP 735 `include-group` tables). */
  requirementList(path: TomlPath, dev: boolean): void {
    const list = this.at(path);
    if (list === undefined) return;
    if (!Array.isArray(list)) throw this.error(path, "must be an array of requirement strings");
    list.forEach((item, index) => {
      const line = this.lineOf([...path, index]);
      if (typeof item === "string") this.add(fieldsOfRequirement(parsePep508(item, line)), line, dev);
      else if (!(isTomlTable(item) && typeof item["include-group"] === "string")) {
        throw this.error([...path, index], "must be a requirement string");
      }
    });
  }

  /** Every sub-table (or array) of the table at `path`, by key. */
  eachGroup(path: TomlPath, isDev: (group: string) => boolean, read: (path: TomlPath, dev: boolean) => void): void {
    const groups = this.at(path);
    if (groups === undefined) return;
    if (!isTomlTable(groups)) throw this.error(path, "must be a table");
    for (const group of Object.keys(groups)) read([...path, group], isDev(group));
  }

  /** `name = "^1.2"`, `name = { … }` or `name = [{ … }, { … }]` entries. */
  poetryTable(path: TomlPath, dev: boolean): void {
    const table = this.at(path);
    if (table === undefined) return;
    if (!isTomlTable(table)) throw this.error(path, "must be a table of dependencies");
    for (const [name, value] of Object.entries(table)) {
      if (name.toLowerCase() === "python") continue;
      const keyPath = [...path, name];
      const line = this.lineOf(keyPath);
      const constraints = Array.isArray(value) ? value : [value];
      for (const constraint of constraints) {
        const fields = poetryFields(name, constraint);
        if (fields === undefined) throw this.error(keyPath, 'must be a version constraint or a table like { version = "…" }');
        this.add(fields, line, dev);
      }
    }
  }

  private add(fields: RequirementFields, line: number, dev: boolean): void {
    this.dependencies.push({ ecosystem: "PyPI", ...fields, line, direct: true, dev });
  }

  private at(path: TomlPath): unknown {
    let node: unknown = this.toml.value;
    for (const key of path) node = isTomlTable(node) ? node[key] : undefined;
    return node;
  }

  /** The line of `path`, else of the nearest part of it the scanner recorded. */
  private lineOf(path: TomlPath): number {
    for (let end = path.length; end > 0; end--) {
      const line = this.toml.lineOf(path.slice(0, end));
      if (line !== undefined) return line;
    }
    return 1;
  }

  private error(path: TomlPath, problem: string): DependencyParseError {
    const line = this.lineOf(path);
    return new DependencyParseError(`pyproject.toml: ${path.join(".")} at line ${line} ${problem}`, line);
  }
}

function poetryFields(declared: string, value: unknown): RequirementFields | undefined {
  const named = nameFields(declared);
  if (typeof value === "string") return { ...named, ...poetryConstraint(value) };
  if (!isTomlTable(value)) return undefined;
  const reference = poetrySource(value);
  if (reference !== undefined) return { ...named, ...reference };
  if (value.version === undefined) return { ...named, unpinned: "no version specifier" };
  return typeof value.version === "string" ? { ...named, ...poetryConstraint(value.version) } : undefined;
}

/** Poetry constraints: `1.2.3`, `==1.2.3` and `=1.2.3` are exact; `^`, `~`, `*`, ranges and wildcards are not. */
function poetryConstraint(constraint: string): Pick<RequirementFields, "version" | "requirement" | "unpinned"> {
  const requirement = constraint.trim();
  const exact = /^(?:==?)?\s*([^\s,|*^~<>=!]+)$/.exec(requirement)?.[1];
  if (exact !== undefined && pep440().valid(exact) !== null) return { version: exact, requirement };
  return { requirement, unpinned: `unpinned range "${requirement}"` };
}

function poetrySource(value: TomlTable): Pick<RequirementFields, "source" | "unpinned"> | undefined {
  const { git, path, url } = value;
  if (typeof git === "string") {
    const ref = [value.rev, value.tag, value.branch].find((r): r is string => typeof r === "string" && r !== "");
    return { source: { kind: "git", spec: ref === undefined ? git : `${git}#${ref}` }, unpinned: "git requirement" };
  }
  if (typeof path === "string") return { source: { kind: "file", spec: path }, unpinned: "local path requirement" };
  if (typeof url === "string") {
    const kind = sourceKindOfUrl(url);
    return { source: { kind, spec: url }, unpinned: kind === "file" ? "local path requirement" : "URL requirement" };
  }
  return undefined;
}
