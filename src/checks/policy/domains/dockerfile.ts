/**
 * Dockerfiles (and Podman's Containerfiles) as build stages of instructions, each with its 1-based
 * lines, read with `dockerfile-ast` (the parser behind the Docker VS Code extension).
 *
 * Format facts that the model settles once so audits do not each get them wrong:
 * - A line ending in the escape character (`\`, or the one a `# escape=` directive names) continues
 *   the instruction; Docker joins the lines without a separator and drops comment and blank lines
 *   inside the continuation. Joined text remembers the file line of every character (`lineAt`).
 * - Heredocs (`RUN <<EOF`, `COPY <<EOF /dest`) are kept apart from the command line, with their body
 *   and lines; which heredoc is a script is the shell's business (audits/dockerfile/_run-scripts.ts).
 *   dockerfile-ast is used for instruction boundaries, keywords and ENV/ARG pairs only: flags,
 *   heredoc markers (quote-aware, as BuildKit) and bodies are read here, because it misplaces bodies
 *   around comment lines and takes `echo "<<EOF"` for a heredoc (what it swallows is re-read).
 * - Only `ARG` may precede the first `FROM`; those ARGs' defaults are what `FROM` can expand, so an
 *   image reference carries both its text (`node:${NODE_VERSION}`) and, when every variable has a
 *   default, its resolved form. A `FROM` naming an earlier stage (`FROM builder`) points at it.
 * - A lone carriage return is not a line break for Docker (it splits on LF), so it is read as a space
 *   and lines stay the ones the check and GitHub count. A UTF-8 BOM is dropped, as Docker does.
 *
 * What counts as not a Dockerfile (PolicyParseError, with a line): no FROM at all, an instruction
 * other than ARG before the first FROM, a FROM without an image or with stray words, a heredoc that
 * never ends, and files over 512 KiB (the largest official-image Dockerfiles are under 20 KB and the
 * parser costs about a second per megabyte). Unknown instruction words are kept, not refused:
 * templates (`Dockerfile.j2`) carry template lines and are still worth auditing.
 */
import type { Instruction } from "dockerfile-ast";
import { lazyRequire } from "../../../core/lazy-require.js";
import { PolicyParseError, type PolicyDomain } from "../audit.js";

export const DOCKERFILE_MAX_CHARS = 512 * 1024;
const MAX_EXPANDED_CHARS = 2048;

/** Text joined from one or more file lines, with the 1-based file line of each character. */
export interface SourceText {
  readonly text: string;
  lineAt(offset: number): number;
}

export interface DockerFlag {
  /** Without the leading `--`: `mount`, `platform`, `checksum`, `chmod`. */
  readonly name: string;
  readonly value: string | null;
  readonly line: number;
}

export interface DockerHeredoc {
  readonly name: string;
  /** Line of the `<<NAME` marker. */
  readonly line: number;
  /** Body without the closing delimiter, lines joined with `\n` (leading tabs removed for `<<-`). */
  readonly body: SourceText;
}

interface InstructionBase {
  /** Upper-case, as Docker compares it. */
  readonly keyword: string;
  readonly line: number;
  readonly endLine: number;
  readonly flags: readonly DockerFlag[];
  /** Arguments after the flags, continuations joined, heredoc bodies left out. */
  readonly args: SourceText;
  readonly heredocs: readonly DockerHeredoc[];
}

export interface ImageRef {
  /** As written: `node:${NODE_VERSION}-alpine`, `ghcr.io/org/app@sha256:…`. */
  readonly raw: string;
  /** Repository with registry, without tag or digest. */
  readonly name: string;
  readonly tag?: string;
  /** `sha256:…` */
  readonly digest?: string;
  /** `raw` uses `$VAR` or `${VAR}`. */
  readonly hasVariables: boolean;
  /** `raw` with the ARG defaults before the first FROM substituted, when every variable has one. */
  readonly resolved?: string;
  /** Index of the earlier stage this FROM builds on (`FROM builder`). */
  readonly stage?: number;
}

export interface FromInstruction extends InstructionBase {
  readonly kind: "from";
  readonly image: ImageRef;
  /** The stage name from `AS name`, lower-cased as Docker matches it. */
  readonly alias?: string;
  readonly platform?: string;
}

export interface RunInstruction extends InstructionBase {
  readonly kind: "run";
  /** The exec (JSON array) form's words; absent for the shell form. */
  readonly exec?: readonly string[];
}

export interface PropertyPair {
  readonly name: string;
  /** Unquoted value; `null` when none is given (`ARG TOKEN`). */
  readonly value: string | null;
  readonly line: number;
}

export interface PropertyInstruction extends InstructionBase {
  readonly kind: "env" | "arg";
  readonly pairs: readonly PropertyPair[];
}

export interface UserInstruction extends InstructionBase {
  readonly kind: "user";
  readonly user: string;
  readonly group?: string;
}

export interface CopyInstruction extends InstructionBase {
  readonly kind: "add" | "copy";
  /** Source words (heredoc markers included as written, `<<EOF`). */
  readonly sources: readonly string[];
  readonly destination?: string;
}

export interface OnbuildInstruction extends InstructionBase {
  readonly kind: "onbuild";
  /** What runs in images built FROM this one. */
  readonly trigger?: DockerInstruction;
}

export interface OtherInstruction extends InstructionBase {
  readonly kind: "other";
}

export type DockerInstruction =
  | FromInstruction
  | RunInstruction
  | PropertyInstruction
  | UserInstruction
  | CopyInstruction
  | OnbuildInstruction
  | OtherInstruction;

export interface DockerStage {
  readonly index: number;
  readonly from: FromInstruction;
  /** Every instruction of the stage in order, its FROM first. */
  readonly instructions: readonly DockerInstruction[];
}

export interface DockerfileDocument {
  readonly path: string;
  /** `\` unless a `# escape=` directive says otherwise. */
  readonly escape: string;
  /** Parser directives (`syntax`, `escape`, `check`) by lower-case name. */
  readonly directives: Readonly<Record<string, string>>;
  /** The ARGs before the first FROM (the only ones FROM can expand). */
  readonly globalArgs: readonly PropertyPair[];
  readonly stages: readonly DockerStage[];
}

/** The final stage is what the image is (unless `--target` picks another, which the file cannot say). */
export function finalStage(doc: DockerfileDocument): DockerStage {
  return doc.stages[doc.stages.length - 1]!;
}

const KNOWN_KEYWORDS = new Set([
  "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
  "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
]);

/** Extensions that make `Dockerfile.x` something else: docs, code, data, BuildKit's ignore file. */
const NOT_DOCKERFILE_EXTENSIONS = new Set([
  "dockerignore", "md", "markdown", "rst", "txt", "adoc", "html", "htm", "json", "yml", "yaml", "toml", "xml",
  "lock", "sh", "bash", "ps1", "py", "rb", "go", "rs", "ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs",
  "java", "kt", "cs", "php", "c", "h", "cpp", "swift", "scala", "snap", "svg", "png",
]);

function isDockerfilePath(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const lower = base.toLowerCase();
  if (lower === "dockerfile" || lower === "containerfile") return true;
  const ext = lower.slice(lower.lastIndexOf(".") + 1);
  if (lower.endsWith(".dockerfile") || lower.endsWith(".containerfile")) return lower.length > ext.length + 1;
  if (!/^(dockerfile|containerfile)[.-]./.test(lower)) return false;
  return !NOT_DOCKERFILE_EXTENSIONS.has(ext);
}

export const dockerfileDomain: PolicyDomain<DockerfileDocument> = {
  id: "dockerfile",
  files: "Dockerfile, Dockerfile.*, Dockerfile-*, *.Dockerfile, Containerfile",
  matches: (path) => isDockerfilePath(path),
  parse: parseDockerfile,
};

export function parseDockerfile(input: string, path: string): DockerfileDocument {
  if (input.length > DOCKERFILE_MAX_CHARS) {
    throw new PolicyParseError(`too large to audit (${input.length} characters; the limit is ${DOCKERFILE_MAX_CHARS})`, 1);
  }
  const text = normalise(input);
  const parsed = astParse(text);
  const lines = text.split("\n");
  const escape = parsed.getEscapeCharacter();
  const directives: Record<string, string> = {};
  for (const d of parsed.getDirectives()) directives[d.getName().toLowerCase()] = d.getValue();

  const globalArgs: PropertyPair[] = [];
  const stages: { index: number; from: FromInstruction; instructions: DockerInstruction[] }[] = [];
  const stageByName = new Map<string, number>();
  let pass: { instructions: readonly Instruction[]; offset: number } | undefined = { instructions: parsed.getInstructions(), offset: 0 };
  let recoveries = 0;
  while (pass) {
    const reader = new InstructionReader(lines, escape, pass.offset);
    let consumedUntil = 0;
    let resumeAt: number | undefined;
    for (const raw of pass.instructions) {
      // A line inside an earlier instruction's heredoc body is body text, whatever the parser made of it.
      if (raw.getRange().start.line + pass.offset + 1 <= consumedUntil) continue;
      const keyword = raw.getKeyword().toUpperCase();
      const current = stages[stages.length - 1];
      const instruction = keyword === "FROM" ? reader.from(raw, globalArgs, stageByName) : reader.instruction(raw);
      consumedUntil = instruction.endLine;
      if (instruction.kind === "from") {
        stages.push({ index: stages.length, from: instruction, instructions: [instruction] });
        if (instruction.alias !== undefined && !stageByName.has(instruction.alias)) stageByName.set(instruction.alias, stages.length - 1);
      } else if (current) {
        current.instructions.push(instruction);
      } else if (instruction.kind === "arg") {
        globalArgs.push(...instruction.pairs);
      } else if (KNOWN_KEYWORDS.has(keyword)) {
        throw new PolicyParseError(`${keyword} before the first FROM (only ARG may come first)`, instruction.line);
      }
      // dockerfile-ast splits words without quotes, so `echo "<<EOF"` makes it swallow the rest of
      // the file as a heredoc body; what it swallowed is read again as instructions.
      if (raw.getRange().end.line + pass.offset + 1 > instruction.endLine && recoveries < MAX_RECOVERIES) {
        resumeAt = instruction.endLine;
        break;
      }
    }
    pass = undefined;
    if (resumeAt !== undefined) {
      recoveries++;
      const prefix = escape === "\\" ? "" : `# escape=${escape}\n`;
      const rest = astParse(prefix + lines.slice(resumeAt).join("\n"));
      pass = { instructions: rest.getInstructions(), offset: resumeAt - (prefix ? 1 : 0) };
    }
  }
  if (stages.length === 0) throw new PolicyParseError("no FROM instruction", 1);
  return { path, escape, directives, globalArgs, stages };
}

const MAX_RECOVERIES = 20;

type DockerfileAst = typeof import("dockerfile-ast");

/**
 * dockerfile-ast (CommonJS) is ~45 ms of start-up: required on the first Dockerfile parsed, so a
 * scan whose change has none never loads it.
 */
const dockerfileAst = lazyRequire<DockerfileAst>("dockerfile-ast");

function dockerfileParser(): DockerfileAst["DockerfileParser"] {
  return dockerfileAst().DockerfileParser;
}

function astParse(text: string): ReturnType<DockerfileAst["DockerfileParser"]["parse"]> {
  try {
    return dockerfileParser().parse(text);
  } catch (error) {
    throw new PolicyParseError(`the Dockerfile parser failed: ${(error as Error).message}`, 1);
  }
}

function normalise(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return withoutBom.replace(/\r(?!\n)/g, " ").replace(/\r\n/g, "\n");
}

class JoinedText implements SourceText {
  constructor(
    readonly text: string,
    private readonly starts: readonly number[],
    private readonly lines: readonly number[],
  ) {}

  lineAt(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    if (hi < 0) return 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.lines[lo]!;
  }
}

class TextBuilder {
  private readonly parts: string[] = [];
  private readonly starts: number[] = [];
  private readonly lines: number[] = [];
  private length = 0;

  constructor(private readonly fallbackLine: number) {}

  push(part: string, line: number): void {
    this.starts.push(this.length);
    this.lines.push(line);
    this.parts.push(part);
    this.length += part.length;
  }

  build(): SourceText {
    if (this.parts.length === 0) return new JoinedText("", [0], [this.fallbackLine]);
    return new JoinedText(this.parts.join(""), this.starts, this.lines);
  }
}

class InstructionReader {
  constructor(
    private readonly lines: readonly string[],
    private readonly escape: string,
    /** Where the parsed text starts in the file (0 unless re-read after a swallowed heredoc). */
    private readonly offset: number,
  ) {}

  instruction(raw: Instruction): DockerInstruction {
    const base = this.base(raw);
    switch (base.keyword) {
      case "RUN":
        return { ...base, kind: "run", ...execForm(base.args.text) };
      case "ENV":
      case "ARG":
        return { ...base, kind: base.keyword === "ENV" ? "env" : "arg", pairs: properties(raw, this.offset) };
      case "USER": {
        const spec = base.args.text.trim().split(/\s+/)[0] ?? "";
        const colon = spec.indexOf(":");
        return colon < 0 ? { ...base, kind: "user", user: spec } : { ...base, kind: "user", user: spec.slice(0, colon), group: spec.slice(colon + 1) };
      }
      case "ADD":
      case "COPY": {
        const words = execForm(base.args.text).exec ?? base.args.text.trim().split(/\s+/).filter((w) => w !== "");
        const copy = { ...base, kind: base.keyword === "ADD" ? ("add" as const) : ("copy" as const), sources: words.slice(0, -1) };
        return words.length > 1 ? { ...copy, destination: words[words.length - 1] } : copy;
      }
      case "ONBUILD": {
        const trigger = (raw as unknown as { getTriggerInstruction?: () => Instruction | null }).getTriggerInstruction?.();
        // ONBUILD ONBUILD and ONBUILD FROM are refused by Docker; keep only triggers that can run.
        if (trigger && !["ONBUILD", "FROM"].includes(trigger.getKeyword().toUpperCase())) {
          return { ...base, kind: "onbuild", trigger: this.instruction(trigger) };
        }
        return { ...base, kind: "onbuild" };
      }
      default:
        return { ...base, kind: "other" };
    }
  }

  from(raw: Instruction, globalArgs: readonly PropertyPair[], stageByName: ReadonlyMap<string, number>): FromInstruction {
    const base = this.base(raw);
    let words = base.args.text.trim().split(/\s+/).filter((w) => w !== "");
    if (words.length === 0) throw new PolicyParseError("FROM without an image", base.line);
    if (/\{\{|\{%/.test(base.args.text)) words = templateWords(words);
    if (words.length === 2 || words.length > 3 || (words.length === 3 && words[1]!.toLowerCase() !== "as")) {
      throw new PolicyParseError(`FROM takes an image and optionally "AS name", not "${words.join(" ").slice(0, 120)}"`, base.line);
    }
    const platform = base.flags.find((f) => f.name === "platform")?.value ?? undefined;
    const alias = words.length === 3 ? words[2]!.toLowerCase() : undefined;
    const image = imageRef(words[0]!, globalArgs, stageByName);
    return { ...base, kind: "from", image, ...(alias !== undefined ? { alias } : {}), ...(platform ? { platform } : {}) };
  }

  private base(raw: Instruction): InstructionBase {
    const range = raw.getRange();
    const startLine = range.start.line + this.offset;
    const keyword = raw.getKeyword().toUpperCase();
    const after = raw.getInstructionRange().end;
    const joined = this.join(after.line + this.offset, after.character, range.end.line + this.offset);
    const { flags, args } = FLAGGED_KEYWORDS.has(keyword) ? splitFlags(joined.text) : { flags: [], args: joined.text };
    // Bodies follow the command line in marker order, each up to its delimiter line (BuildKit's
    // rule; dockerfile-ast misplaces bodies around comment lines, so they are read here).
    const bodies: DockerHeredoc[] = [];
    let next = joined.lastLine + 1;
    for (const marker of HEREDOC_KEYWORDS.has(keyword) ? heredocMarkers(args) : []) {
      const body = new TextBuilder(next + 1);
      let closed = false;
      for (; next < this.lines.length; next++) {
        const text = this.lineText(next);
        const unindented = marker.stripTabs ? text.replace(/^\t+/, "") : text;
        if (unindented === marker.name) {
          closed = true;
          next++;
          break;
        }
        body.push(`${unindented}\n`, next + 1);
      }
      if (!closed) throw new PolicyParseError(`heredoc <<${marker.name} is never closed`, marker.line);
      bodies.push({ name: marker.name, line: marker.line, body: body.build() });
    }
    return {
      keyword,
      line: startLine + 1,
      endLine: Math.max(startLine, joined.lastLine, next - 1) + 1,
      flags,
      args,
      heredocs: bodies,
    };
  }

  private lineText(line: number): string {
    return this.lines[line] ?? "";
  }

  /** Docker's continuation rule: the escape character, then only blanks, at the end of a line. */
  private join(firstLine: number, firstColumn: number, lastLine: number): { text: SourceText; lastLine: number } {
    const out = new TextBuilder(firstLine + 1);
    let started = false;
    let line = firstLine;
    for (; line <= lastLine; line++) {
      let text = this.lineText(line);
      if (line === firstLine) text = text.slice(firstColumn);
      else if (/^\s*(#|$)/.test(text)) continue;
      const continued = this.continues(text);
      let part = continued ?? text;
      if (!started) {
        part = part.trimStart();
        started = part !== "";
      }
      if (part !== "") out.push(part, line + 1);
      if (continued === undefined) break;
    }
    return { text: out.build(), lastLine: Math.min(line, lastLine) };
  }

  /** As BuildKit: any escape character before the line end continues, even after another one. */
  private continues(text: string): string | undefined {
    let end = text.length;
    while (end > 0 && (text[end - 1] === " " || text[end - 1] === "\t")) end--;
    return end > 0 && text[end - 1] === this.escape ? text.slice(0, end - 1) : undefined;
  }
}

/**
 * A template's FROM (`FROM alpine:{{ env.version }} AS build`) has spaces inside its placeholders:
 * the image is everything before `AS`, and counts as a variable.
 */
function templateWords(words: readonly string[]): string[] {
  const as = words.length >= 3 && words[words.length - 2]!.toLowerCase() === "as" ? words.length - 2 : words.length;
  return [words.slice(0, as).join(" "), ...words.slice(as)];
}

const FLAGGED_KEYWORDS = new Set(["FROM", "RUN", "ADD", "COPY", "HEALTHCHECK"]);
const HEREDOC_KEYWORDS = new Set(["RUN", "ADD", "COPY"]);

/** Leading `--name=value` / `--name` words, and the text after them. */
function splitFlags(text: SourceText): { flags: DockerFlag[]; args: SourceText } {
  const s = text.text;
  const flags: DockerFlag[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
    if (!s.startsWith("--", i)) break;
    let end = i;
    while (end < s.length && s[end] !== " " && s[end] !== "\t") end++;
    const word = s.slice(i + 2, end);
    const eq = word.indexOf("=");
    flags.push({ name: (eq < 0 ? word : word.slice(0, eq)).toLowerCase(), value: eq < 0 ? null : word.slice(eq + 1), line: text.lineAt(i) });
    i = end;
  }
  return { flags, args: i === 0 ? text : sliceText(text, i) };
}

function sliceText(text: SourceText, from: number): SourceText {
  return { text: text.text.slice(from), lineAt: (offset) => text.lineAt(offset + from) };
}

/**
 * Words of the command line that open a heredoc (`<<EOF`, `<<-EOF`, `<<"EOF"`), as BuildKit finds
 * them: whole words, quotes respected, so `echo "a <<EOF"` opens none.
 */
function heredocMarkers(args: SourceText): { name: string; stripTabs: boolean; line: number }[] {
  const out: { name: string; stripTabs: boolean; line: number }[] = [];
  const s = args.text;
  // Exec form (`RUN ["sh", "-c", "cat <<EOF"]`) has no heredocs.
  if (s.trimStart().startsWith("[")) return out;
  let i = 0;
  while (i < s.length) {
    while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
    const start = i;
    let word = "";
    while (i < s.length && s[i] !== " " && s[i] !== "\t") {
      const c = s[i]!;
      if (c === "'" || c === '"') {
        const close = s.indexOf(c, i + 1);
        const end = close < 0 ? s.length : close;
        word += s.slice(i + 1, end);
        i = end + 1;
      } else if (c === "\\" && i + 1 < s.length) {
        word += s[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
    }
    const m = /^\d*<<(-?)([^<\s]+)$/.exec(word);
    if (m && s[start] !== "'" && s[start] !== '"') out.push({ name: m[2]!, stripTabs: m[1] === "-", line: args.lineAt(start) });
  }
  return out;
}

function properties(raw: Instruction, offset: number): PropertyPair[] {
  const withProperties = raw as unknown as { getProperties?: () => { getName(): string; getValue(): string | null; getRange(): { start: { line: number } } }[] };
  if (typeof withProperties.getProperties !== "function") return [];
  return withProperties.getProperties().map((p) => ({ name: p.getName(), value: p.getValue(), line: p.getRange().start.line + offset + 1 }));
}

/** Docker reads `[...]` as JSON and falls back to the shell form when it is not a JSON string array. */
function execForm(args: string): { exec?: readonly string[] } {
  const trimmed = args.trim();
  if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) return {};
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((w) => typeof w === "string")) return { exec: value as string[] };
  } catch {
    // Not JSON: the shell form.
  }
  return {};
}

function imageRef(raw: string, globalArgs: readonly PropertyPair[], stageByName: ReadonlyMap<string, number>): ImageRef {
  const hasVariables = /\$(\{|[A-Za-z_])|\{\{|\{%/.test(raw);
  const parts = splitImage(raw);
  const stage = !hasVariables && parts.tag === undefined && parts.digest === undefined ? stageByName.get(raw.toLowerCase()) : undefined;
  const resolved = hasVariables ? expandArgs(raw, globalArgs) : undefined;
  return {
    raw,
    ...parts,
    hasVariables,
    ...(resolved !== undefined ? { resolved } : {}),
    ...(stage !== undefined ? { stage } : {}),
  };
}

/** `registry:5000/team/app:1.2@sha256:…` → name, tag, digest; `${…}` spans are never split. */
export function splitImage(raw: string): { name: string; tag?: string; digest?: string } {
  let at = -1;
  let lastSlash = -1;
  let colonAfterSlash = -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === "$" && raw[i + 1] === "{") {
      const close = raw.indexOf("}", i + 2);
      if (close < 0) break;
      i = close;
      continue;
    }
    if (c === "@") {
      at = i;
      break;
    }
    if (c === "/") {
      lastSlash = i;
      colonAfterSlash = -1;
    } else if (c === ":" && colonAfterSlash < 0) {
      colonAfterSlash = i;
    }
  }
  const beforeDigest = at < 0 ? raw : raw.slice(0, at);
  const digest = at < 0 ? undefined : raw.slice(at + 1);
  const tagAt = colonAfterSlash > lastSlash ? colonAfterSlash : -1;
  const name = tagAt < 0 ? beforeDigest : beforeDigest.slice(0, tagAt);
  const tag = tagAt < 0 ? undefined : beforeDigest.slice(tagAt + 1);
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Substitutes `$A`, `${A}`, `${A:-x}`, `${A-x}` from ARG defaults; undefined when one has none. */
export function expandArgs(text: string, args: readonly PropertyPair[]): string | undefined {
  // Image references are short; a huge one is hostile and the substitution scan is not worth it.
  if (text.length > MAX_EXPANDED_CHARS) return undefined;
  const values = new Map<string, string | null>();
  for (const a of args) values.set(a.name, a.value === null ? null : (expandWith(a.value, values) ?? null));
  return expandWith(text, values);
}

function expandWith(text: string, values: ReadonlyMap<string, string | null>): string | undefined {
  if (text.length > MAX_EXPANDED_CHARS) return undefined;
  let unresolved = false;
  const out = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const value = values.get((braced ?? bare)!);
    if (value !== undefined && value !== null && (op !== ":-" || value !== "")) return value;
    if (op !== undefined) return word ?? "";
    unresolved = true;
    return "";
  });
  return unresolved || out.includes("$") ? undefined : out;
}
