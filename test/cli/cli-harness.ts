/** Runs the CLI in-process against a fixture repository, with checks that exist only in tests. */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { z } from "zod";
import { runCli } from "../../src/cli/run-cli.js";
import { defineCheck, type Check, type FindingDraft } from "../../src/core/types.js";
import { GIT_TEST_ENV } from "../helpers/git-repo.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function capture(isTTY = false) {
  let text = "";
  return {
    isTTY,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}

export async function cli(
  argv: string[],
  options: { cwd: string; checks?: readonly Check[]; env?: NodeJS.ProcessEnv; tty?: boolean },
): Promise<CliRun> {
  const stdout = capture(options.tty);
  const stderr = capture();
  const env = { ...GIT_TEST_ENV, NO_COLOR: undefined, LOG_LEVEL: undefined, ...options.env };
  const code = await runCli(argv, { cwd: options.cwd, checks: options.checks, stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export interface SeenLine {
  readonly path: string;
  readonly line: number;
  readonly text: string;
}

/** Reports every added line containing `TODO-SECRET`, and records every line it was shown. */
export function todoSecretCheck(severity: "high" | "low" = "high") {
  const seen: SeenLine[] = [];
  const check = defineCheck({
    meta: {
      id: "todo-secret",
      title: "TODO-SECRET marker",
      description: "Test-only check: flags added lines that contain TODO-SECRET.",
      defaultSeverity: severity,
      tags: ["test"],
      rules: [{ id: "marker", title: "TODO-SECRET marker", severity }],
    },
    optionsSchema: z.object({}),
    async run({ files }) {
      const findings: FindingDraft[] = [];
      for (const file of files) {
        for (const { line, text } of file.addedLines) {
          seen.push({ path: file.path, line, text });
          if (text.includes("TODO-SECRET")) {
            findings.push({ ruleId: "marker", path: file.path, startLine: line, message: "TODO-SECRET marker added" });
          }
        }
      }
      return findings;
    },
  });
  return { check, seen };
}

function testCheck(id: string, run: Check["run"], needsNetwork = false): Check {
  return defineCheck({
    meta: { id, title: id, description: `Test-only check ${id}.`, defaultSeverity: "high", tags: ["test"], rules: [], needsNetwork, services: needsNetwork ? ["fetch"] : [] },
    optionsSchema: z.object({}),
    run,
  });
}

export const throwingCheck = testCheck("explodes", async () => {
  throw new Error("boom: the parser exploded");
});

/** Never settles and ignores its abort signal: only the engine's time limit ends it. */
export const hangingCheck = testCheck("hangs", () => new Promise(() => {}));

/** Needs the network; records the services it was given. */
export function networkCheck() {
  const calls: { fetch: unknown; offline: boolean }[] = [];
  const check = testCheck(
    "network",
    async ({ services, offline }) => {
      calls.push({ fetch: services.fetch, offline });
      return [];
    },
    true,
  );
  return { check, calls };
}

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/** The official SARIF 2.1.0 schema shipped by @microsoft/jest-sarif (draft-04 `id` renamed to `$id`). */
export function sarifValidator() {
  const require = createRequire(import.meta.url);
  const path = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const { $schema: _draft04, id, ...schema } = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile({ ...schema, $id: String(id) });
}
