/**
 * `pom.xml`: a Maven manifest. Only what this one file says is read; parents, BOMs and settings
 * are elsewhere, so a version that comes from them is reported as unknown, never guessed.
 *
 * - Dependencies are `project/dependencies/dependency` and the same inside each profile (a profile
 *   is part of the build when active, so its dependencies count as direct ones).
 * - `${name}` comes from `properties` (a profile's first, inside it), `${project.version}`,
 *   `${project.groupId}` and `${project.parent.version}`; one this pom does not define makes the
 *   dependency unpinned.
 * - `dependencyManagement` entries are constraints, not dependencies: they give a version to a
 *   versionless dependency with the same groupId, artifactId, type and classifier. BOM imports
 *   (`<type>pom</type><scope>import</scope>`) are neither. Plugins and their dependencies are build
 *   tools, not part of the artifact: not read.
 * - Version ranges (`[1.0,2.0)`) and `LATEST`/`RELEASE` have no one version to look up: unpinned.
 *
 * Hostile input: saxes reads no DTD and expands no entity but the five predefined ones; a DOCTYPE
 * (which no real POM has) is refused outright, so no entity trick gets a chance. Property values
 * are expanded a bounded number of rounds to a bounded length (properties that double each other
 * are a "billion laughs" too).
 */
import type * as Saxes from "saxes";
import { lazyRequire } from "../../../core/lazy-require.js";
import { baseName } from "./file-name.js";
import { DependencyParseError, type Dependency, type DependencyFormat, type ParsedDependencyFile } from "../model.js";

const saxes = lazyRequire<typeof Saxes>("saxes");

const MAX_EXPANSION_ROUNDS = 10;
const MAX_EXPANDED_LENGTH = 1000;
const DEPENDENCY_FIELDS = new Set(["groupId", "artifactId", "version", "scope", "type", "classifier", "systemPath"]);

export const pomXmlFormat: DependencyFormat = {
  id: "pom-xml",
  files: "pom.xml",
  ecosystem: "Maven",
  kind: "manifest",
  matches: (path) => baseName(path) === "pom.xml",
  parse: parsePomXml,
};

type Fields = Partial<Record<"groupId" | "artifactId" | "version" | "scope" | "type" | "classifier" | "systemPath", string>>;

interface DeclaredDependency {
  readonly fields: Fields;
  readonly line: number;
  readonly model: Model;
}

/** The project, or one of its profiles: each has properties and management of its own. */
interface Model {
  readonly properties: Map<string, string>;
  readonly managed: DeclaredDependency[];
  readonly parent?: Model;
}

interface Coordinates {
  groupId?: string;
  artifactId?: string;
  version?: string;
  parentGroupId?: string;
  parentVersion?: string;
}

function parsePomXml(text: string): ParsedDependencyFile {
  const { declared, coordinates } = readPom(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const dependencies = declared.flatMap((dependency) => toDependency(dependency, coordinates));
  return { ecosystem: "Maven", kind: "manifest", dependencies };
}

/** One pass of saxes over the document, keeping only the elements named above. */
function readPom(source: string): { declared: DeclaredDependency[]; coordinates: Coordinates } {
  const parser = new (saxes().SaxesParser)({ position: true });
  const project: Model = { properties: new Map(), managed: [] };
  const coordinates: Coordinates = {};
  const declared: DeclaredDependency[] = [];
  const stack: string[] = [];
  let profile: Model | undefined;
  let entry: { fields: Fields; line: number; model: Model; managed: boolean; depth: number } | undefined;
  let text = "";

  parser.on("doctype", () => {
    throw new DependencyParseError(`DOCTYPE at line ${parser.line}: a pom.xml has none, and its entities would not be expanded`, parser.line);
  });
  parser.on("error", (error) => {
    throw toParseError(error, parser.line);
  });
  parser.on("opentagstart", (tag) => {
    const name = localName(tag.name);
    if (stack.length === 0 && name !== "project") {
      throw new DependencyParseError(`not a Maven POM: the root element at line ${parser.line} is <${tag.name}>, not <project>`, parser.line);
    }
    stack.push(name);
    text = "";
    if (stack.length === 3 && stack[1] === "profiles" && name === "profile") profile = { properties: new Map(), managed: [], parent: project };
    const model = profile && stack[2] === "profile" ? profile : project;
    const rel = profile && stack[2] === "profile" ? stack.slice(3) : stack.slice(1);
    const isDependency = rel.length === 2 && rel[0] === "dependencies" && rel[1] === "dependency";
    const isManaged = rel.length === 3 && rel[0] === "dependencyManagement" && rel[1] === "dependencies" && rel[2] === "dependency";
    if (isDependency || isManaged) entry = { fields: {}, line: startLine(source, parser), model, managed: isManaged, depth: stack.length };
  });
  parser.on("text", (chunk) => {
    text += chunk;
  });
  parser.on("cdata", (chunk) => {
    text += chunk;
  });
  parser.on("closetag", () => {
    const depth = stack.length;
    const name = stack[depth - 1]!;
    const inProfile = profile !== undefined && stack[2] === "profile";
    const model = inProfile ? profile! : project;
    const rel = inProfile ? stack.slice(3) : stack.slice(1);
    const value = text.trim();
    if (entry && depth === entry.depth + 1 && DEPENDENCY_FIELDS.has(name)) {
      entry.fields[name as keyof Fields] = value;
    } else if (entry && depth === entry.depth) {
      const done: DeclaredDependency = { fields: entry.fields, line: entry.line, model: entry.model };
      if (entry.managed) model.managed.push(done);
      else declared.push(done);
      entry = undefined;
    } else if (rel.length === 2 && rel[0] === "properties") {
      model.properties.set(name, value);
    } else if (!inProfile) {
      readCoordinate(coordinates, rel, value);
    }
    if (depth === 3 && inProfile) profile = undefined;
    stack.pop();
    text = "";
  });
  parser.write(source).close();
  return { declared, coordinates };
}

function readCoordinate(coordinates: Coordinates, rel: readonly string[], value: string): void {
  const path = rel.join("/");
  if (path === "groupId") coordinates.groupId = value;
  else if (path === "artifactId") coordinates.artifactId = value;
  else if (path === "version") coordinates.version = value;
  else if (path === "parent/groupId") coordinates.parentGroupId = value;
  else if (path === "parent/version") coordinates.parentVersion = value;
}

function toDependency({ fields, line, model }: DeclaredDependency, coordinates: Coordinates): Dependency[] {
  if (fields.type === "pom" && fields.scope === "import") return [];
  if (!fields.groupId || !fields.artifactId) {
    throw new DependencyParseError(`dependency at line ${line} needs a groupId and an artifactId`, line);
  }
  const groupId = interpolate(fields.groupId, model, coordinates);
  const artifactId = interpolate(fields.artifactId, model, coordinates);
  const name = `${"value" in groupId ? groupId.value : fields.groupId}:${"value" in artifactId ? artifactId.value : fields.artifactId}`;
  const base = {
    ecosystem: "Maven" as const,
    name,
    line,
    direct: true,
    dev: fields.scope === "test",
    ...(fields.version ? { requirement: fields.version } : {}),
    ...(fields.scope === "system" ? { source: { kind: "file" as const, spec: fields.systemPath ?? "" } } : {}),
  };
  const nameProblem = "problem" in groupId ? groupId.problem : "problem" in artifactId ? artifactId.problem : undefined;
  if (nameProblem) return [{ ...base, unpinned: nameProblem }];
  return [{ ...base, ...versionOf(fields, name, model, coordinates) }];
}

function versionOf(fields: Fields, name: string, model: Model, coordinates: Coordinates): { version: string } | { unpinned: string } {
  if (fields.version) return pinned(interpolate(fields.version, model, coordinates));
  const key = managementKey(name, fields);
  for (let scope: Model | undefined = model; scope; scope = scope.parent) {
    const managed = managedVersions(scope, coordinates).get(key);
    if (managed) return pinned(interpolate(managed.fields.version!, managed.model, coordinates));
  }
  return { unpinned: "version managed elsewhere" };
}

const managedByKey = new WeakMap<Model, Map<string, DeclaredDependency>>();

/** The model's management entries that give a version, by key (built once: a pom may manage thousands). */
function managedVersions(model: Model, coordinates: Coordinates): Map<string, DeclaredDependency> {
  let byKey = managedByKey.get(model);
  if (!byKey) {
    byKey = new Map();
    // The last entry for a key wins, as in Maven's model merging.
    for (const entry of model.managed) if (entry.fields.version) byKey.set(managementKey(managedName(entry, coordinates), entry.fields), entry);
    managedByKey.set(model, byKey);
  }
  return byKey;
}

function pinned(version: { value: string } | { problem: string }): { version: string } | { unpinned: string } {
  if ("problem" in version) return { unpinned: version.problem };
  const value = version.value;
  if (/^[[(]/.test(value) || value.includes(",")) return { unpinned: `version range ${value}` };
  if (value === "LATEST" || value === "RELEASE") return { unpinned: `meta-version ${value}` };
  return { version: value };
}

/** Maven matches management by groupId, artifactId, type and classifier. */
function managementKey(name: string, fields: Fields): string {
  return `${name}:${fields.type || "jar"}:${fields.classifier ?? ""}`;
}

function managedName({ fields, model }: DeclaredDependency, coordinates: Coordinates): string {
  const part = (written: string | undefined) => {
    const result = interpolate(written ?? "", model, coordinates);
    return "value" in result ? result.value : written;
  };
  return `${part(fields.groupId)}:${part(fields.artifactId)}`;
}

/** `${…}` expanded from this pom alone, to a bounded depth and length. */
function interpolate(written: string, model: Model, coordinates: Coordinates): { value: string } | { problem: string } {
  const tooLong = { problem: `properties in "${written.slice(0, 100)}" expand beyond ${MAX_EXPANDED_LENGTH} characters` };
  let value = written;
  for (let round = 0; round < MAX_EXPANSION_ROUNDS && value.includes("${"); round++) {
    let expanded = "";
    let last = 0;
    for (const reference of value.matchAll(/\$\{([^}]*)\}/g)) {
      const found = lookup(reference[1]!, model, coordinates);
      if (found === undefined) return { problem: `property \${${reference[1]}} not defined in this pom` };
      // Checked before appending: one huge property referenced many times must not build a huge string first.
      if (expanded.length + (reference.index - last) + found.length > MAX_EXPANDED_LENGTH) return tooLong;
      expanded += value.slice(last, reference.index) + found;
      last = reference.index + reference[0].length;
    }
    value = expanded + value.slice(last);
    if (value.length > MAX_EXPANDED_LENGTH) return tooLong;
  }
  if (/\$\{[^}]*\}/.test(value)) return { problem: `properties in "${written.slice(0, 100)}" refer to each other in a loop` };
  return { value };
}

function lookup(property: string, model: Model, coordinates: Coordinates): string | undefined {
  for (let scope: Model | undefined = model; scope; scope = scope.parent) {
    const value = scope.properties.get(property);
    if (value !== undefined) return value;
  }
  switch (property) {
    case "project.version":
    case "pom.version":
    case "version":
      return coordinates.version ?? coordinates.parentVersion;
    case "project.groupId":
    case "pom.groupId":
    case "groupId":
      return coordinates.groupId ?? coordinates.parentGroupId;
    case "project.artifactId":
    case "pom.artifactId":
      return coordinates.artifactId;
    case "project.parent.version":
    case "parent.version":
      return coordinates.parentVersion;
    case "project.parent.groupId":
    case "parent.groupId":
      return coordinates.parentGroupId;
    default:
      return undefined;
  }
}

function localName(name: string): string {
  const colon = name.indexOf(":");
  return colon === -1 ? name : name.slice(colon + 1);
}

/**
 * saxes reports the open tag once its name is read, which is after the character that ends the
 * name: for `<dependency` followed by a line break that is already the next line. The tag starts
 * at the `<` before the parser's position.
 */
function startLine(source: string, parser: Saxes.SaxesParser): number {
  const lt = source.lastIndexOf("<", parser.position - 1);
  const between = source.slice(lt, parser.position);
  return /[\r\n]/.test(between) ? parser.line - 1 : parser.line;
}

function toParseError(error: Error, line: number): DependencyParseError {
  const match = /^(\d+):(\d+): (.*)$/s.exec(error.message);
  const at = match ? Number(match[1]) : line;
  const what = (match ? match[3]! : error.message).replace(/\.$/, "");
  return new DependencyParseError(`invalid XML at line ${at}${match ? `, column ${Number(match[2]) + 1}` : ""}: ${what}`, at);
}
