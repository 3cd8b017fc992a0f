/**
 * `yarn.lock`: two unrelated formats under one name. Yarn Berry (v2+) writes a `__metadata:` entry
 * and is YAML; Yarn classic (v1) writes `# yarn lockfile v1` and a syntax of its own. A file with
 * the classic header is classic whatever else it holds; otherwise `__metadata:` means Berry.
 *
 * Both are read by their tools' own parsers (yarn-lock-classic.ts, yarn-lock-berry.ts); what they
 * share (merge-conflict markers, BOM, entry headers and their lines) is settled here and in
 * yarn-lock-keys.ts. Neither format says which packages package.json declares: every dependency is
 * `direct: false` and the check marks direct ones from package.json.
 */
import { DependencyParseError, type DependencyFormat, type ParsedDependencyFile } from "../model.js";
import { rejectConflictMarkers } from "./conflict-markers.js";
import { baseName } from "./file-name.js";
import { parseYarnBerryLock } from "./yarn-lock-berry.js";
import { parseYarnClassicLock } from "./yarn-lock-classic.js";

const CLASSIC_HEADER = /^#\s*yarn\s+lockfile\s+v1\s*$/im;
const BERRY_METADATA = /^__metadata:/m;

export const yarnLockFormat: DependencyFormat = {
  id: "yarn-lock",
  files: "yarn.lock",
  ecosystem: "npm",
  kind: "lockfile",
  matches: (path) => baseName(path) === "yarn.lock",
  parse: parseYarnLock,
};

function parseYarnLock(text: string): ParsedDependencyFile {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.includes("\u0000")) throw new DependencyParseError("not a text file: yarn.lock holds a NUL byte");
  if (source.trim() === "") return { ecosystem: "npm", kind: "lockfile", dependencies: [], warnings: ["yarn.lock is empty"] };
  const lines = source.split(/\r?\n|\r/);
  rejectConflictMarkers(lines);
  if (!CLASSIC_HEADER.test(source) && BERRY_METADATA.test(source)) return parseYarnBerryLock(source, lines);
  return parseYarnClassicLock(source, lines);
}
