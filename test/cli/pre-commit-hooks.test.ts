/**
 * .pre-commit-hooks.yaml is what the pre-commit framework reads from this repository when a user's
 * .pre-commit-config.yaml names it. Nothing runs pre-commit here (a Python tool that clones hook
 * repositories), so this pins what the hook depends on: its fields, and an entry whose program is
 * the package's bin (the hook is `language: system`: it runs the globally installed CLI) and whose
 * flags the CLI's own parser accepts as a staged scan. That the package installs globally and scans
 * is test/cli/installable-package.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseCommand } from "../../src/cli/args.js";
import { parseYaml } from "../../src/core/yaml.js";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");
const manifest = JSON.parse(read("package.json")) as { bin?: Record<string, string> };

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
      language: "system",
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

  it("runs the bin the package installs", () => {
    expect(manifest.bin?.["pr-sentinel"]).toBe("dist/cli/main.js");
  });
});
