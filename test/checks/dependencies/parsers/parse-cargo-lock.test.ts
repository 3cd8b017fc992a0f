import { describe, expect, it } from "vitest";
import { cargoLockFormat } from "../../../../src/checks/dependencies/parsers/parse-cargo-lock.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("cargo-lock");
const parse = (text: string) => cargoLockFormat.parse(text, "Cargo.lock");
const parseError = parseErrorFrom(parse);

const CRATES_IO = "registry+https://github.com/rust-lang/crates.io-index";

describe("cargoLockFormat", () => {
  it("matches Cargo.lock only", () => {
    expect(cargoLockFormat.matches("Cargo.lock")).toBe(true);
    expect(cargoLockFormat.matches("crates/api/Cargo.lock")).toBe(true);
    expect(cargoLockFormat.matches("Cargo.toml")).toBe(false);
    expect(cargoLockFormat.matches("cargo.lock")).toBe(false);
    expect(cargoLockFormat).toMatchObject({ id: "cargo-lock", ecosystem: "crates.io", kind: "lockfile" });
  });

  it("reads every crate at every version on its [[package]] line, without the workspace's own crates", () => {
    const parsed = parse(fixture("workspace-v3.Cargo.lock"));
    expect(parsed).toMatchObject({ ecosystem: "crates.io", kind: "lockfile" });
    expect(parsed.warnings).toBeUndefined();
    expect(parsed.dependencies.map((d) => [d.name, d.version, d.line, d.direct])).toEqual([
      ["cfg-if", "1.0.0", 15, false],
      ["getrandom", "0.2.12", 29, false],
      ["rand", "0.7.3", 38, false],
      ["rand", "0.8.5", 44, true],
      ["serde", "1.0.197", 54, true],
      ["tracing", "0.1.40", 60, true],
      ["tracing-core", "0.1.32", 68, false],
      ["uuid", "1.7.0", 73, true],
      ["internal-auth", "2.1.0", 79, false],
    ]);
    expect(parsed.dependencies.map((d) => d.name)).not.toContain("api");
    expect(parsed.dependencies.map((d) => d.name)).not.toContain("core-types");
  });

  it("treats both crates.io indexes as the registry, git as a source, and another registry as a registry with its index as resolved", () => {
    const deps = parse(fixture("workspace-v3.Cargo.lock")).dependencies;
    expect(deps.find((d) => d.name === "serde")).toEqual({
      ecosystem: "crates.io",
      name: "serde",
      version: "1.0.197",
      line: 54,
      direct: true,
      integrity: "3fb1c873e1b9b056a4dc4c0c198b24c3ffa059243875552b2bd0933b1aee4ce2",
    });
    expect(deps.find((d) => d.name === "uuid")?.source).toBeUndefined();
    expect(deps.find((d) => d.name === "tracing")).toMatchObject({
      source: { kind: "git", spec: "git+https://github.com/tokio-rs/tracing?branch=master#0e3577f6f3995b92accee21e0737c25ef0f1953c" },
    });
    expect(deps.find((d) => d.name === "tracing")?.integrity).toBeUndefined();
    expect(deps.find((d) => d.name === "internal-auth")).toEqual({
      ecosystem: "crates.io",
      name: "internal-auth",
      version: "2.1.0",
      line: 79,
      direct: false,
      resolved: "https://crates.acme.example/index/",
      integrity: "",
    });
  });

  it("reads crates of private registries (registry+ and sparse+) as registry crates with their checksums, judged by their index host", () => {
    const deps = parse(fixture("real-style-private-registries.Cargo.lock")).dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.direct, d.source, d.resolved, d.integrity])).toEqual([
      ["acme-telemetry", "0.4.2", 13, true, undefined, "https://cargo.cloudsmith.io/acme/crates/", `${"ab".repeat(32)}`],
      ["acme-wire", "1.3.0", 19, true, undefined, "https://artifactory.acme.example/artifactory/api/cargo/cargo-local/index/", `${"cd".repeat(32)}`],
      ["itoa", "1.0.11", 28, false, undefined, undefined, `${"ef".repeat(32)}`],
    ]);
  });

  it("reads v1 lockfiles' [metadata] checksums and does not call the others missing", () => {
    const parsed = parse(fixture("v1-metadata.Cargo.lock"));
    expect(parsed.dependencies).toEqual([
      { ecosystem: "crates.io", name: "cfg-if", version: "0.1.10", line: 1, direct: false },
      { ecosystem: "crates.io", name: "log", version: "0.4.8", line: 13, direct: true, integrity: "14b6052be84e6b71ab17edffc2eeabf5c2c3ae1fdb464aae35ac50c67a44e1f7" },
    ]);
  });

  it("records a missing checksum of a registry crate in a v2+ lockfile as empty", () => {
    const deps = parse(fixture("tricky-strings.Cargo.lock")).dependencies;
    expect(deps).toEqual([{ ecosystem: "crates.io", name: "left-pad", version: "1.0.0", line: 12, direct: true, integrity: "" }]);
  });

  it("treats the old [root] table as the project's own crate", () => {
    const text = `[root]\nname = "app"\nversion = "0.1.0"\ndependencies = [\n "libc 0.2.0 (${CRATES_IO})",\n]\n\n[[package]]\nname = "libc"\nversion = "0.2.0"\nsource = "${CRATES_IO}"\n`;
    expect(parse(text).dependencies.map((d) => [d.name, d.line, d.direct])).toEqual([["libc", 8, true]]);
  });

  it("accepts a BOM and CRLF line ends", () => {
    const text = `\ufeffversion = 3\r\n\r\n[[package]]\r\nname = "libc"\r\nversion = "0.2.153"\r\nsource = "${CRATES_IO}"\r\nchecksum = "abc"\r\n`;
    expect(parse(text).dependencies.map((d) => [d.name, d.version, d.line])).toEqual([["libc", "0.2.153", 3]]);
  });

  it("warns about a lockfile version it does not know", () => {
    expect(parse("version = 9\n").warnings).toHaveLength(1);
  });


  it("only ever throws DependencyParseError on damaged input, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("workspace-v3.Cargo.lock"), fixture("v1-metadata.Cargo.lock")]);
  });
  describe("malformed files", () => {
    it.each([
      ["invalid TOML", `version = 3\n\n[[package]]\nname = "libc\nversion = "1"\n`, 4],
      ["a package without a version", `version = 3\n\n[[package]]\nname = "libc"\nsource = "${CRATES_IO}"\n`, 3],
      ["a source that is not a string", `version = 3\n[[package]]\nname = "a"\nversion = "1.0.0"\nsource = 1\n`, 2],
      ["dependencies that are not strings", `version = 3\n[[package]]\nname = "a"\nversion = "1.0.0"\ndependencies = [1]\n`, 2],
      ["package as a plain table", `[package]\nname = "a"\n`, 1],
    ])("refuses %s, naming the line", (_what, text, line) => {
      expect(parseError(text).line).toBe(line);
    });
  });
});
