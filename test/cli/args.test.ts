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

  it.each([
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
