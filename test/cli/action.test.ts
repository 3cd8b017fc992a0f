/**
 * action.yml, the composite GitHub Action. GitHub itself cannot run here, so this runs what it would:
 * the action's own scan script (its `run:` text, with its `env:` values substituted the way the
 * runner substitutes `${{ }}`) in a local repository shaped like an actions/checkout of a pull
 * request, then checks the SARIF it leaves against the official SARIF 2.1.0 schema and the findings
 * in it. The action also passes pr-sentinel's own review (every built-in check, through the engine),
 * so a pin that slips or an expression pasted into a script fails here before a user sees it.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinChecks } from "../../src/checks/index.js";
import { policyCheck } from "../../src/checks/policy/index.js";
import { workflowDomain } from "../../src/checks/policy/domains/workflow.js";
import { configFromObject } from "../../src/core/config/load-config.js";
import { runScan } from "../../src/core/engine.js";
import type { Check, ScanResult } from "../../src/core/types.js";
import { parseYaml } from "../../src/core/yaml.js";
import { fileChange } from "../checks/dependencies/harness.js";
import { fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../helpers/git-repo.js";
import { sarifValidator } from "./cli-harness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ACTION_TEXT = readFileSync(join(ROOT, "action.yml"), "utf8");

type Obj = Record<string, unknown>;
interface Step {
  readonly id?: string;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly with?: Record<string, string>;
}

const action = parseYaml(ACTION_TEXT).value as { inputs: Record<string, { default?: string }>; outputs: Record<string, { value: string }>; runs: { using: string; steps: Step[] } };
const steps = action.runs.steps;
const step = (id: string): Step => {
  const found = steps.find((s) => s.id === id || s.name === id);
  if (!found) throw new Error(`action.yml has no step ${id}`);
  return found;
};

async function review(text: string, checks: readonly Check[] = builtinChecks): Promise<ScanResult> {
  return runScan({
    files: [fileChange("action.yml", null, text)],
    checks,
    config: configFromObject({ fail_on: "info" }, "action.test", checks),
    logger: pino({ level: "silent" }),
    offline: true,
  });
}

describe("action.yml, as pr-sentinel reviews it", () => {
  it("has no findings with every built-in check judging it", async () => {
    const result = await review(ACTION_TEXT);
    expect(result.outcomes.map((o) => [o.checkId, o.status])).toEqual(builtinChecks.map((c) => [c.meta.id, "ok"]).sort());
    expect(result.findings.map((f) => `action.yml:${f.startLine} ${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it("is read as an action (nothing passes by being skipped), and a weakened copy is reported", async () => {
    expect(workflowDomain.matches("action.yml", ACTION_TEXT)).toBe(true);
    expect(workflowDomain.parse(ACTION_TEXT, "action.yml")).toMatchObject({ kind: "action" });
    // A third party's action by tag (GitHub's own may use tags by default), and an input pasted into the script.
    const weakened = ACTION_TEXT.replace(/actions\/setup-node@[0-9a-f]{40} # v[\d.]+/, "acme/setup-node@v7").replace(
      'code=0\n',
      'code=0\n        echo "config: ${{ inputs.config }}"\n',
    );
    expect(weakened).not.toBe(ACTION_TEXT);
    const result = await review(weakened, [policyCheck]);
    expect(new Set(result.findings.map((f) => f.ruleId))).toEqual(new Set(["policy/unpinned-uses", "policy/template-injection"]));
  });

  it("pins every action it uses to a full commit with the release in a comment", () => {
    const pins = [...ACTION_TEXT.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map((m) => ({ uses: m[1]!, comment: m[2]!.trim() }));
    expect(pins.map((p) => p.uses.split("@")[0])).toEqual(["actions/setup-node", "github/codeql-action/upload-sarif"]);
    for (const pin of pins) {
      expect(pin.uses, pin.uses).toMatch(/@[0-9a-f]{40}$/);
      expect(pin.comment, pin.uses).toMatch(/^# v\d+\.\d+\.\d+$/);
    }
  });

  it("passes values to scripts only through env", () => {
    const scripts = steps.filter((s) => s.run !== undefined);
    expect(scripts.length).toBeGreaterThanOrEqual(3);
    for (const s of scripts) {
      expect(s.run, s.name).not.toContain("${{");
      expect(s.shell, s.name).toBe("bash");
    }
    // Each input that shapes the scan is read by the scan step.
    const env = Object.values(step("scan").env ?? {}).join("\n");
    for (const input of ["base", "head", "fail-on", "config", "sarif-file"]) expect(env).toContain(`inputs.${input} }}`);
  });

  it("uploads the scan's SARIF file to code scanning under its category, only when there is one", () => {
    const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(upload?.with).toEqual({ sarif_file: "${{ steps.scan.outputs.sarif-file }}", category: "${{ inputs.category }}" });
    expect(upload?.if).toBe("inputs.upload-sarif == 'true' && steps.scan.outputs.sarif-file != ''");
    expect(action.runs.using).toBe("composite");
    expect(action.inputs["sarif-file"]?.default).toBe("pr-sentinel.sarif");
    // The verdict comes last, after the upload.
    expect(steps.at(-1)?.name).toBe("Verdict");
  });
});

// --- running the action's scripts --------------------------------------------------------------

interface Context {
  readonly inputs: Record<string, string>;
  readonly github: Obj;
  readonly steps: Record<string, { outputs: Record<string, string> }>;
}

/** `${{ a.b.c }}` over a context, as the runner does for the plain property reads action.yml uses; anything else is an error. */
function substitute(text: string, context: Context): string {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_all, expression: string) => {
    if (!/^[a-z_]+(\.[a-z_][\w-]*)+$/i.test(expression)) throw new Error(`the test cannot evaluate \${{ ${expression} }}`);
    let value: unknown = context;
    for (const key of expression.split(".")) value = (value as Obj | undefined)?.[key];
    return value === undefined || value === null ? "" : String(value);
  });
}

interface StepRun {
  readonly code: number;
  readonly stderr: string;
  readonly outputs: Record<string, string>;
}

const built = join(ROOT, "dist", "cli", "main.js");
/** Every source the CLI runs: a build older than any of them is stale (as test/cli/main.test.ts decides). */
function newestSource(): number {
  let newest = 0;
  for (const entry of readdirSync(join(ROOT, "src"), { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

describe("the action's scan, run as the runner would run it", () => {
  let work: string;
  let repo: FixtureRepo;
  let actionPath: string;
  let nodeOptions: string | undefined;
  let base: string;
  let head: string;
  const key = fakeAwsKeyId("action-pr");
  const oldKey = fakeAwsKeyId("action-removed-on-main");

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "pr-sentinel-action-"));
    // The action's directory: this checkout when dist/ is current (`npm test` builds first),
    // else one whose dist/cli/main.js runs the sources through tsx, so the test never needs a build.
    if (existsSync(built) && statSync(built).mtimeMs >= newestSource()) {
      actionPath = ROOT;
    } else {
      actionPath = join(work, "action");
      mkdirSync(join(actionPath, "dist", "cli"), { recursive: true });
      writeFileSync(join(actionPath, "package.json"), JSON.stringify({ type: "module" }));
      writeFileSync(join(actionPath, "dist", "cli", "main.js"), `await import(${JSON.stringify(pathToFileURL(join(ROOT, "src", "cli", "main.ts")).href)});\n`);
      nodeOptions = `--import ${pathToFileURL(join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href}`;
    }

    // A pull request as actions/checkout leaves it with fetch-depth 0: main has moved on since the
    // branch was made (it dropped a file with a key in it), and HEAD is the test merge of the two.
    repo = createFixtureRepo();
    repo.commitFiles("base", { "README.md": "# app\n", "legacy/config.ts": `export const oldKey = "${oldKey}";\n` });
    repo.git("checkout", "-q", "-b", "feature");
    head = repo.commitFiles("leak a key", { "src/settings.ts": `export const awsKeyId = "${key}";\n` });
    repo.git("checkout", "-q", "main");
    repo.remove("legacy/config.ts");
    base = repo.commit("main drops the legacy config");
    repo.git("checkout", "-q", "--detach", base);
    repo.git("merge", "-q", "--no-ff", "-m", "Merge feature into main", head);
  });

  afterAll(() => {
    repo?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  function context(withInputs: Record<string, string> = {}, stepOutputs: Record<string, string> = {}): Context {
    const github = { action_path: actionPath, workspace: repo.dir, event: { pull_request: { base: { sha: base }, head: { sha: head } } } };
    const partial: Context = { inputs: {}, github, steps: {} };
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = substitute(spec.default ?? "", partial);
    return { inputs: { ...inputs, ...withInputs }, github, steps: { scan: { outputs: stepOutputs } } };
  }

  function runStep(id: string, ctx: Context): StepRun {
    const s = step(id);
    const dir = mkdtempSync(join(work, "step-"));
    const script = join(dir, "script.sh");
    const outputFile = join(dir, "output");
    writeFileSync(script, s.run!);
    writeFileSync(outputFile, "");
    const env: NodeJS.ProcessEnv = { ...GIT_TEST_ENV, GITHUB_OUTPUT: outputFile, NO_COLOR: "1", LOG_LEVEL: undefined };
    if (nodeOptions) env.NODE_OPTIONS = nodeOptions;
    for (const [name, value] of Object.entries(s.env ?? {})) env[name] = substitute(value, ctx);
    // `shell: bash` on a runner is `bash --noprofile --norc -eo pipefail {0}`.
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], { cwd: repo.dir, env, encoding: "utf8", timeout: 60_000 });
    const outputs: Record<string, string> = {};
    for (const line of readFileSync(outputFile, "utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return { code: result.status ?? -1, stderr: result.stderr, outputs };
  }

  const validate = sarifValidator();
  type SarifResult = { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] };
  const sarifResults = (file: string): SarifResult[] => {
    const log = JSON.parse(readFileSync(join(repo.dir, file), "utf8")) as { runs: { results: SarifResult[] }[] };
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    return log.runs.flatMap((r) => r.results);
  };
  const where = (r: SarifResult) => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`;

  it("writes valid SARIF with the key the pull request adds, and only that (merge-base, not the moved base)", () => {
    const scan = runStep("scan", context());
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.outputs, scan.stderr).toEqual({ "exit-code": "1", "sarif-file": "pr-sentinel.sarif" });
    expect(sarifResults("pr-sentinel.sarif").map(where)).toEqual(["secrets/aws-access-key-id src/settings.ts:1"]);
    const sarif = readFileSync(join(repo.dir, "pr-sentinel.sarif"), "utf8");
    expect(sarif).not.toContain(key);
    expect(scan.stderr).toContain("fail");

    // The last step turns the verdict into the job's result, after the upload.
    expect(runStep("Verdict", context({}, scan.outputs)).code).toBe(1);
  });

  it("takes fail-on and sarif-file (in a directory it makes): the findings still reach the file, the verdict passes", () => {
    const scan = runStep("scan", context({ "fail-on": "never", "sarif-file": "reports/pr-sentinel/scan.sarif" }));
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.outputs).toEqual({ "exit-code": "0", "sarif-file": "reports/pr-sentinel/scan.sarif" });
    expect(sarifResults("reports/pr-sentinel/scan.sarif").map(where)).toEqual(["secrets/aws-access-key-id src/settings.ts:1"]);
    expect(runStep("Verdict", context({}, scan.outputs)).code).toBe(0);
  });

  it("stops with exit 2 and says why when the base is not in the clone (a shallow checkout), uploading nothing", () => {
    const scan = runStep("scan", context({ base: "0123456789abcdef0123456789abcdef01234567" }));
    expect(scan.code).toBe(2);
    expect(scan.stderr).toContain("fetch-depth: 0");
    expect(scan.outputs).toEqual({ "exit-code": "2" });
  });

  it("treats hostile input as data: a base that is shell code runs nothing", () => {
    const marker = join(work, "pwned");
    const scan = runStep("scan", context({ base: `$(touch ${marker})`, config: `"; touch ${marker}; #` }));
    expect(scan.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
    // And a config path that is shell code reaches the CLI as a file name, which it cannot read.
    const config = runStep("scan", context({ config: `x"; touch ${marker}; #` }));
    expect(config.code).toBe(2);
    expect(existsSync(marker)).toBe(false);
  });

});
