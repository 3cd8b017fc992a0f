/**
 * `npm run demo`: the first thing a newcomer runs, so it shows the product rather than a `PASS`.
 * The real GitHub App reviews a pull request that adds a leaked AWS key, a vulnerable and a
 * typosquatted npm dependency, an injectable workflow and a Dockerfile that runs as root, against
 * a fake GitHub, OSV and npm registry on 127.0.0.1 (no account, no network, a few seconds). It
 * prints what pr-sentinel posted (verdict, summary, each inline comment on its file and line, the
 * sticky comment) and writes the same review as a "Files changed" HTML page, whose path it prints.
 *
 * Runs from the TypeScript sources with tsx (no build needed). Exit code 0 when the app posted its
 * review, 1 when it posted nothing (no check run, or no inline comment on a pull request built to
 * get several: that is a bug) or the demo could not run.
 *
 * Options: `--out FILE` (default `pr-sentinel-demo.html` in the OS temp folder), `--no-color`
 * (colour is on only for a terminal, and off with NO_COLOR).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { PostedReview } from "./demo/run-review.js";
import { paint, terminalSafe } from "./demo/terminal-text.js";

export interface DemoOptions {
  /** Where the HTML page goes; default `pr-sentinel-demo.html` in the OS temp folder. */
  readonly outFile?: string;
  /** Where the report's lines go; default stdout. */
  readonly write?: (line: string) => void;
  readonly color?: boolean;
  readonly width?: number;
  readonly timeoutMs?: number;
}

export interface DemoResult {
  readonly review: PostedReview;
  readonly htmlFile: string;
  /** The app posted its review: a check run and inline comments. */
  readonly posted: boolean;
}

export const DEFAULT_OUT_FILE = join(tmpdir(), "pr-sentinel-demo.html");

export async function runDemo(options: DemoOptions = {}): Promise<DemoResult> {
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const style = { color: options.color ?? false };
  write(paint(style, "dim", "Starting the app, a fake GitHub and fake OSV/npm registry servers on 127.0.0.1…"));
  // Loaded after that line: the app, its checks and the fakes take seconds to import, and a first
  // run should not start with a silent pause.
  const [{ runReview }, { terminalReport }, { renderReviewPage }] = await Promise.all([import("./demo/run-review.js"), import("./demo/terminal-report.js"), import("./demo/html-page.js")]);
  const review = await runReview({ timeoutMs: options.timeoutMs });
  for (const line of terminalReport(review, { style, width: options.width })) write(line);

  const htmlFile = resolve(options.outFile ?? DEFAULT_OUT_FILE);
  mkdirSync(dirname(htmlFile), { recursive: true });
  writeFileSync(htmlFile, renderReviewPage(review));
  const posted = review.checkRun !== undefined && review.checkRun.conclusion !== null && review.comments.length > 0;
  write("");
  write(paint(style, "bold", "── The review as a pull request page " + "─".repeat(40)));
  write("");
  write(`  ${pathToFileURL(htmlFile).href}`);
  write(paint(style, "dim", "  (open it in a browser: the diff of each file with the comments under their lines)"));
  write("");
  if (!posted) {
    write(paint(style, "red", "pr-sentinel posted no review on a pull request built to get one: this is a bug."));
    for (const line of review.appLog.slice(-20)) write(`  ${terminalSafe(line)}`);
  }
  return { review, htmlFile, posted };
}

function parseArgs(argv: readonly string[]): { outFile?: string; color?: boolean } {
  const parsed: { outFile?: string; color?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--out" || arg === "-o") {
      const value = argv[++i];
      if (!value) throw new Error(`${arg} needs a file name`);
      parsed.outFile = value;
    } else if (arg.startsWith("--out=")) parsed.outFile = arg.slice("--out=".length);
    else if (arg === "--no-color") parsed.color = false;
    else if (arg === "--color") parsed.color = true;
    else throw new Error(`unknown option ${arg} (options: --out FILE, --no-color)`);
  }
  return parsed;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`pr-sentinel demo: ${(error as Error).message}\n`);
    return 2;
  }
  const color = args.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== "dumb");
  try {
    const result = await runDemo({ outFile: args.outFile, color, width: process.stdout.columns });
    return result.posted ? 0 : 1;
  } catch (error) {
    process.stderr.write(`pr-sentinel demo failed: ${(error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const code = await main();
  process.exitCode = code;
  // Everything is closed by now; should a stray handle remain, the demo still ends (unref'd: it
  // does not itself keep the process alive, and stdout is flushed by a normal exit first).
  setTimeout(() => process.exit(code), 3_000).unref();
}
