import { describe, expect, it } from "vitest";
import { nugetLockFormat } from "../../../../src/checks/dependencies/parsers/parse-nuget-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("nuget-lock");
const parse = (text: string) => nugetLockFormat.parse(text, "packages.lock.json");
const parseError = parseErrorFrom(parse);

const lockOf = (packages: Record<string, unknown>) => JSON.stringify({ version: 2, dependencies: { "net8.0": packages } }, null, 2);

describe("nugetLockFormat", () => {
  it("matches packages.lock.json only", () => {
    expect(nugetLockFormat.matches("src/Api/packages.lock.json")).toBe(true);
    expect(nugetLockFormat.matches("packages.config")).toBe(false);
    expect(nugetLockFormat.matches("package-lock.json")).toBe(false);
    expect(nugetLockFormat).toMatchObject({ id: "nuget-lock", ecosystem: "NuGet", kind: "lockfile" });
  });

  it("reads one dependency per package and version across target frameworks, on its first line", () => {
    const parsed = parse(fixture("multi-target.packages.lock.json"));
    expect(parsed).toMatchObject({ ecosystem: "NuGet", kind: "lockfile" });
    expect(parsed.warnings).toBeUndefined();
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.direct, d.scope])).toEqual([
      ["Newtonsoft.Json", "13.0.3", 5, true, "net6.0"],
      ["Serilog", "3.1.1", 11, true, "net6.0"],
      ["Microsoft.Extensions.Logging.Abstractions", "6.0.0", 17, false, "net6.0"],
      ["Microsoft.Extensions.Logging.Abstractions", "8.0.0", 42, false, "net8.0"],
      ["System.Text.Json", "8.0.4", 52, false, "net8.0/linux-x64"],
    ]);
  });

  it("keeps the requested range of direct packages and the content hash as integrity", () => {
    const deps = parse(fixture("multi-target.packages.lock.json")).dependencies;
    expect(deps[0]).toEqual({
      ecosystem: "NuGet",
      name: "Newtonsoft.Json",
      version: "13.0.3",
      line: 5,
      direct: true,
      requirement: "[13.0.3, )",
      integrity: "HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==",
      scope: "net6.0",
    });
    expect(deps[4]?.requirement).toBeUndefined();
  });

  it("never makes Project entries dependencies", () => {
    expect(parse(fixture("multi-target.packages.lock.json")).dependencies.some((d) => d.name === "Acme.Shared")).toBe(false);
  });

  it("is direct when any framework references the package directly", () => {
    const text = JSON.stringify({
      version: 1,
      dependencies: {
        "net6.0": { "Polly": { type: "Transitive", resolved: "8.2.0", contentHash: "x" } },
        "net8.0": { "polly": { type: "Direct", requested: "[8.2.0, )", resolved: "8.2.0", contentHash: "x" } },
      },
    }, null, 2);
    expect(parse(text).dependencies).toEqual([
      { ecosystem: "NuGet", name: "Polly", version: "8.2.0", line: 5, direct: true, requirement: "[8.2.0, )", integrity: "x", scope: "net6.0" },
    ]);
  });

  it("records a missing content hash as an empty integrity", () => {
    expect(parse(lockOf({ Dapper: { type: "Transitive", resolved: "2.1.28" } })).dependencies[0]?.integrity).toBe("");
  });

  it("accepts a BOM and CRLF line ends", () => {
    const text = "\ufeff" + lockOf({ Dapper: { type: "Direct", requested: "[2.1.28, )", resolved: "2.1.28", contentHash: "h" } }).replace(/\n/g, "\r\n");
    expect(parse(text).dependencies.map((d) => [d.name, d.line])).toEqual([["Dapper", 5]]);
  });

  it("warns about a lock file version it does not know", () => {
    const parsed = parse(JSON.stringify({ version: 3, dependencies: {} }));
    expect(parsed.dependencies).toEqual([]);
    expect(parsed.warnings).toHaveLength(1);
  });


  it("only ever throws DependencyParseError on damaged input, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("multi-target.packages.lock.json")]);
  });
  describe("malformed files", () => {
    it.each([
      ["invalid JSON", '{\n  "version": 1,\n  "dependencies": {\n    "net8.0": {\n  }\n', 6],
      ["a package without resolved", lockOf({ Dapper: { type: "Direct", requested: "[2.1.28, )" } }), 5],
      ["a package without a type", lockOf({ Dapper: { resolved: "2.1.28" } }), 5],
      ["an unknown type", lockOf({ Dapper: { type: "Floating", resolved: "2.1.28" } }), 5],
      ["a framework that is not an object", JSON.stringify({ version: 1, dependencies: { "net8.0": [] } }, null, 2), 4],
      ["no dependencies object", '{\n  "version": 1\n}', 1],
      ["a top level that is not an object", "null", 1],
    ])("refuses %s, naming the line", (_what, text, line) => {
      expect(parseError(text).line).toBe(line);
    });
  });
});
