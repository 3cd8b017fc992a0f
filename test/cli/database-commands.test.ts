/**
 * `pr-sentinel audit` and `pr-sentinel tokens` through the CLI's entry: the database commands are
 * reached from `runCli`, share one DATA_DIR, and a scan never needs them.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/run-cli.js";

function io(env: NodeJS.ProcessEnv) {
  let out = "";
  let err = "";
  return {
    io: { stdout: { write: (c: string) => ((out += c), true) }, stderr: { write: (c: string) => ((err += c), true) }, env },
    out: () => out,
    err: () => err,
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the database commands", () => {
  it("creates a token, lists it without the token, and verifies the (empty) audit trail in the same DATA_DIR", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "pr-sentinel-cli-db-"));
    dirs.push(dataDir);
    const env = { DATA_DIR: dataDir };
    const created = io(env);
    expect(await runCli(["tokens", "create", "--name", "ci-bot"], created.io as never), created.err()).toBe(0);
    const token = /prs_[0-9A-Za-z]{49}/.exec(created.out())?.[0];
    expect(token).toBeDefined();
    const listed = io(env);
    expect(await runCli(["tokens", "list"], listed.io as never), listed.err()).toBe(0);
    expect(listed.out()).toContain("ci-bot");
    expect(listed.out()).not.toContain(token!.slice(12));
    const verified = io(env);
    expect(await runCli(["audit", "verify"], verified.io as never), verified.err()).toBe(0);
  });

  it("answers --help for both, and names them in the main help", async () => {
    for (const command of ["audit", "tokens"]) {
      const help = io({});
      expect(await runCli([command, "--help"], help.io as never)).toBe(0);
      expect(help.out()).toMatch(new RegExp(`pr-sentinel ${command}`));
    }
    const main = io({});
    expect(await runCli(["--help"], main.io as never)).toBe(0);
    expect(main.out()).toContain("pr-sentinel audit verify|export");
    expect(main.out()).toContain("pr-sentinel tokens create|list|revoke");
  });
});
