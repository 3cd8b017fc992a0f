/**
 * .pre-commit-hooks.yaml is what the pre-commit framework reads from this repository when a user's
 * .pre-commit-config.yaml names it. Nothing runs it here (pre-commit is a Python tool that clones
 * over the network), so this pins what it depends on instead: the hook's fields, an entry whose
 * program is the package's bin and whose flags the CLI's own parser accepts as a staged scan, and
 * the package.json parts pre-commit's node install uses (it runs `npm pack`, so prepack must build).
 * That the packed package installs and scans is test/cli/installable-package.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/cli/args.js";
import { parseYaml } from "../../src/core/yaml.js";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");
const manifest = JSON.parse(read("package.json")) as { bin?: Record<string, string>; scripts?: Record<string, string> };

type Hook = Record<string, unknown>;
const hooks = parseYaml(read(".pre-commit-hooks.yaml")).value as Hook[];

describe(".pre-commit-hooks.yaml", () => {
  it("declares one hook, pr-sentinel, on the pre-commit stage, that is given no file names", () => {
    expect(Array.isArray(hooks)).toBe(true);
    expect(hooks.map((h) => h.id)).toEqual(["pr-sentinel"]);
    const [hook] = hooks;
    expect(hook).toMatchObject({
      id: "pr-sentinel",
      name: "pr-sentinel",
      entry: "pr-sentinel scan --staged",
      language: "node",
      pass_filenames: false,
      stages: ["pre-commit"],
    });
    expect(typeof hook!.description).toBe("string");
    // `stages: [pre-commit]` is a stage name pre-commit knows from 3.2.0 on; older ones reject it.
    expect(hook!.minimum_pre_commit_version).toBe("3.2.0");
  });

  it("runs the package's bin with flags the CLI parses as a staged scan of the whole index", () => {
    const [program, ...argv] = (hooks[0]!.entry as string).split(/\s+/);
    expect(Object.keys(manifest.bin ?? {})).toContain(program);
    const command = parseCommand(argv);
    expect(command).toMatchObject({ kind: "scan", args: { staged: true, format: "text" } });
    // No file names from pre-commit, and none in the entry: the scan is of everything staged.
    expect(command.kind === "scan" && "paths" in command.args ? command.args.paths : []).toEqual([]);
  });

  it("installs through npm pack, so the package builds itself when packed", () => {
    expect(manifest.scripts?.prepack, "pre-commit's node install runs npm pack; dist/ is not in git").toMatch(/\bnpm run build\b/);
    expect(manifest.bin?.["pr-sentinel"]).toBe("dist/cli/main.js");
  });
});
