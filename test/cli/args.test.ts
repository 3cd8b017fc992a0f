import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../../src/cli/args.js";

describe("parseCommand", () => {
  it("reads every scan flag, in both --flag value and --flag=value forms", () => {
    expect(
      parseCommand([
        "scan",
        "--base=origin/main",
        "--head",
        "feature",
        "--format=sarif",
        "--output",
        "out.sarif",
        "--config",
        "c.yml",
        "--fail-on=medium",
        "--offline",
      ]),
    ).toEqual({
      kind: "scan",
      args: {
        base: "origin/main",
        head: "feature",
        staged: false,
        all: false,
        format: "sarif",
        output: "out.sarif",
        config: "c.yml",
        failOn: "medium",
        offline: true,
        noColor: false,
        verbose: false,
        paths: [],
        history: false,
        since: undefined,
        commits: true,
        maxCommits: undefined,
      },
    });
  });

  it("defaults to a text report over the default range", () => {
    expect(parseCommand(["scan"])).toEqual({
      kind: "scan",
      args: {
        staged: false,
        all: false,
        format: "text",
        offline: false,
        base: undefined,
        head: undefined,
        output: undefined,
        config: undefined,
        failOn: undefined,
        noColor: false,
        verbose: false,
        paths: [],
        history: false,
        since: undefined,
        commits: true,
        maxCommits: undefined,
      },
    });
  });

  it("reads the short flags -f and -o, --no-color, --verbose and PATH arguments", () => {
    expect(parseCommand(["scan", "-f", "json", "-o", "r.json", "--no-color", "--verbose", "src", "*.ts"])).toMatchObject({
      kind: "scan",
      args: { format: "json", output: "r.json", noColor: true, verbose: true, paths: ["src", "*.ts"] },
    });
    expect(parseCommand(["scan", "-fsarif", "--", "-odd-name"])).toMatchObject({ args: { format: "sarif", paths: ["-odd-name"] } });
  });

  it("accepts --staged with --base", () => {
    expect(parseCommand(["scan", "--staged", "--base", "HEAD~1"])).toMatchObject({ kind: "scan", args: { staged: true, base: "HEAD~1" } });
  });

  it("answers help and version", () => {
    expect(parseCommand(["--help"])).toEqual({ kind: "help", topic: "main" });
    expect(parseCommand(["-h"])).toEqual({ kind: "help", topic: "main" });
    expect(parseCommand(["scan", "-h"])).toEqual({ kind: "help", topic: "scan" });
    expect(parseCommand(["--version"])).toEqual({ kind: "version" });
  });

  it("reads --history, --since, --no-commits and --max-commits", () => {
    expect(parseCommand(["scan", "--history", "--since", "v1.0", "--max-commits=40", "--head", "topic"])).toMatchObject({
      kind: "scan",
      args: { history: true, since: "v1.0", maxCommits: 40, head: "topic", commits: true },
    });
    expect(parseCommand(["scan", "--no-commits"])).toMatchObject({ args: { commits: false, history: false } });
  });

  it("reads baseline: --output is required, the range flags are scan's, and the default is --all", () => {
    expect(parseCommand(["baseline", "-o", "b.yml"])).toMatchObject({ kind: "baseline", args: { output: "b.yml", all: true, history: false } });
    expect(parseCommand(["baseline", "--output", "b.json", "--base", "main"])).toMatchObject({ args: { all: false, base: "main" } });
    expect(parseCommand(["baseline", "--output", "b.json", "--history", "--since", "v1"])).toMatchObject({ args: { all: false, history: true, since: "v1" } });
    expect(parseCommand(["baseline", "--output", "b.yml", "--staged"])).toMatchObject({ args: { all: false, staged: true } });
    expect(parseCommand(["baseline", "-h"])).toEqual({ kind: "help", topic: "baseline" });
  });

  it.each([
    [["scan", "--history", "--all"], "--history scans every commit reachable from --head"],
    [["scan", "--history", "--base", "main"], "cannot be combined with --base, --staged or --all"],
    [["scan", "--since", "v1"], "--since REF goes with --history"],
    [["scan", "--history", "--no-commits"], "--no-commits cannot be combined with --history"],
    [["scan", "--max-commits", "0"], "--max-commits must be a whole number from 1"],
    [["scan", "--max-commits", "1e3"], "--max-commits must be a whole number from 1"],
    [["scan", "--history", "--since="], "--since needs a value"],
    [["baseline"], "baseline needs --output FILE"],
    [["baseline", "-o", "b.yml", "--format", "json"], "unknown option --format"],
    [["baseline", "-o", "b.yml", "--fail-on", "low"], "unknown option --fail-on"],
    [["nope"], "the commands are scan, baseline, audit and tokens"],
    [["scan", "--fail-on", "HIGH"], "--fail-on must be one of critical, high, medium, low, info, never"],
    [["scan", "--format", "html"], "--format must be one of text, json, sarif, markdown"],
    [["scan", "--offline=yes"], "--offline"],
    [["scan", "--output", ""], "--output needs a value"],
    [["scan", "--what"], "unknown option --what"],
    [["scan", "-f", "xml"], "--format must be one of"],
    [["scan", ""], "a PATH argument is empty"],
    [["scan", "--color"], "unknown option --color"],
    [["--what"], "unknown option --what"],
  ])("rejects %j", (argv, message) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
    expect(() => parseCommand(argv)).toThrow(message);
  });
});
