import { describe, expect, it } from "vitest";
import { DependencyParseError } from "../../../../src/checks/dependencies/model.js";
import { requirementsTxtFormat, resolveInclude } from "../../../../src/checks/dependencies/parsers/parse-requirements-txt.js";
import { expectParserSurvivesDamage, fixturesIn, parseErrorFrom } from "./parser-properties.js";

const fixture = fixturesIn("requirements-txt");
const parse = (text: string, path = "requirements.txt") => requirementsTxtFormat.parse(text, path);
const parseError = parseErrorFrom(parse);

describe("requirementsTxtFormat", () => {
  it("matches pip requirement and constraint files", () => {
    for (const path of [
      "requirements.txt",
      "requirements-dev.txt",
      "services/api/requirements_test.txt",
      "dev-requirements.txt",
      "constraints.txt",
      "ci/pip-constraints-py311.txt",
      "requirements/base.txt",
      "api/requirements/prod.txt",
      "Requirements.txt",
    ]) {
      expect(requirementsTxtFormat.matches(path), path).toBe(true);
    }
    for (const path of ["requirements.in", "README.txt", "docs/requirements/nested/x.txt", "requirements.txt.bak", "notes/deps.txt"]) {
      expect(requirementsTxtFormat.matches(path), path).toBe(false);
    }
    expect(requirementsTxtFormat).toMatchObject({ id: "requirements-txt", ecosystem: "PyPI", kind: "manifest" });
  });

  it("reads pip-compile output: pins, hashes on continuation lines, the first line of each requirement", () => {
    const parsed = parse(fixture("pip-compile-hashes.txt"));
    expect(parsed).toEqual({
      ecosystem: "PyPI",
      kind: "manifest",
      dependencies: [
        {
          ecosystem: "PyPI",
          name: "certifi",
          version: "2023.7.22",
          requirement: "==2023.7.22",
          line: 7,
          direct: true,
          integrity: "sha256:b745aaaf6dc123e0410db883529d25978c7de867c40a31dbb8ea0502ad0be625",
        },
        expect.objectContaining({ name: "charset-normalizer", version: "3.2.0", line: 11 }),
        expect.objectContaining({ name: "idna", version: "3.4", line: 15 }),
        expect.objectContaining({ name: "requests", version: "2.31.0", line: 19 }),
        expect.objectContaining({ name: "urllib3", version: "2.0.4", line: 23 }),
      ],
    });
    expect(parsed.dependencies.every((d) => d.integrity?.startsWith("sha256:"))).toBe(true);
  });

  it("reads a hand-written file: names, versions, lines and why the rest is unpinned", () => {
    const deps = parse(fixture("hand-written-mixed.txt"), "services/web/requirements.txt").dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.unpinned])).toEqual([
      ["django", "4.2.4", 12, undefined],
      ["requests", "2.31.0", 13, undefined],
      ["zope-interface", "6.0", 14, undefined],
      ["flask", undefined, 15, 'unpinned range ">=2.3,<3"'],
      ["gunicorn", undefined, 16, 'unpinned range "~=21.2"'],
      ["sqlparse", undefined, 17, 'unpinned range "!=0.4.3"'],
      ["celery", undefined, 18, "no version specifier"],
      ["numpy", undefined, 19, 'unpinned range "==1.*"'],
      ["uvicorn", undefined, 20, 'unpinned range ">=0.23"'],
      ["pywin32", "306", 21, undefined],
      ["typing-extensions", "4.7.1", 22, undefined],
      ["toolbelt", undefined, 25, "git requirement"],
      [".", undefined, 26, "local path requirement"],
      ["auth-client", undefined, 27, "git requirement"],
      ["internal-metrics", undefined, 28, "URL requirement"],
      ["vendored-lib", undefined, 29, "URL requirement"],
      ["./libs/shared-models", undefined, 30, "local path requirement"],
      ["legacy-tool", undefined, 31, "local path requirement"],
    ]);
    expect(deps.every((d) => d.direct && d.ecosystem === "PyPI" && d.dev === undefined)).toBe(true);
    expect(deps.find((d) => d.name === "django")).toEqual({
      ecosystem: "PyPI",
      name: "django",
      declaredName: "Django",
      version: "4.2.4",
      requirement: "==4.2.4",
      line: 12,
      direct: true,
    });
    expect(deps.find((d) => d.name === "zope-interface")?.declaredName).toBe("zope.interface");
    expect(deps.find((d) => d.name === "typing-extensions")?.declaredName).toBe("typing_extensions");
  });

  it("keeps the source of URL, VCS and path requirements", () => {
    const deps = parse(fixture("hand-written-mixed.txt")).dependencies;
    const sourceOf = (name: string) => deps.find((d) => d.name === name)?.source;
    expect(sourceOf("toolbelt")).toEqual({ kind: "git", spec: "git+https://github.com/example-org/toolbelt.git@v1.4.0#egg=toolbelt" });
    expect(sourceOf(".")).toEqual({ kind: "file", spec: "." });
    expect(deps.find((d) => d.name === "auth-client")).toMatchObject({ declaredName: "Auth_Client", source: { kind: "git" } });
    expect(sourceOf("internal-metrics")).toEqual({ kind: "url", spec: "https://downloads.example.com/internal_metrics-0.9.1.tar.gz" });
    expect(sourceOf("vendored-lib")).toEqual({ kind: "url", spec: "https://downloads.example.com/wheels/vendored_lib-1.0.0-py3-none-any.whl" });
    expect(sourceOf("./libs/shared-models")).toEqual({ kind: "file", spec: "./libs/shared-models" });
    expect(sourceOf("legacy-tool")).toEqual({ kind: "file", spec: "file:///opt/wheels/legacy_tool-2.0.tar.gz" });
    expect(deps.filter((d) => d.source).every((d) => d.version === undefined)).toBe(true);
  });

  it("turns -r and -c into repository paths relative to the including file", () => {
    const parsed = parse(fixture("hand-written-mixed.txt"), "services/web/requirements.txt");
    expect(parsed.includes).toEqual([
      { path: "services/web/base.txt", line: 8 },
      { path: "services/constraints.txt", line: 9 },
      { path: "services/web/extras/optional.txt", line: 10 },
    ]);
    expect(parsed.warnings).toBeUndefined();
    expect(parse("-rbase.txt\n--constraint constraints/pins.txt\n", "requirements/dev.txt").includes).toEqual([
      { path: "requirements/base.txt", line: 1 },
      { path: "requirements/constraints/pins.txt", line: 2 },
    ]);
  });

  it("refuses includes that leave the repository, with a warning instead", () => {
    const parsed = parse("-r ../../etc/passwd\n-r /etc/shadow\n-r https://user:token@example.com/reqs.txt\n-r ok.txt\n", "app/requirements.txt");
    expect(parsed.includes).toEqual([{ path: "app/ok.txt", line: 4 }]);
    expect(parsed.warnings).toHaveLength(3);
    expect(parsed.warnings?.[0]).toMatch(/^line 1: .*outside the repository/);
    expect(parsed.warnings?.[1]).toMatch(/^line 2: .*absolute/);
    expect(parsed.warnings?.[2]).toMatch(/^line 3: .*URL/);
    expect(parsed.warnings?.join("\n")).not.toContain("token");
    expect(parsed.dependencies).toEqual([]);
  });

  it("resolves ./ and ../ inside the repository", () => {
    expect(resolveInclude("a/b", "./c/../d.txt")).toBe("a/b/d.txt");
    expect(resolveInclude("a/b", "../../x.txt")).toBe("x.txt");
    expect(resolveInclude("", "x.txt")).toBe("x.txt");
    expect(resolveInclude("a", "..\\win\\x.txt")).toBe("win/x.txt");
    expect(resolveInclude("", "../x.txt")).toEqual({ problem: expect.stringMatching(/outside/) });
    expect(resolveInclude("a", "C:\\x.txt")).toEqual({ problem: expect.stringMatching(/absolute/) });
  });

  it("does not take options, comments or blank lines for dependencies", () => {
    const text = [
      "# comment",
      "   # indented comment",
      "",
      "-i https://pypi.org/simple",
      "--index-url=https://pypi.org/simple",
      "--extra-index-url http://insecure.example.com/simple",
      "--trusted-host insecure.example.com",
      "--no-binary :all:",
      "--only-binary=:none:",
      "--pre",
      "--prefer-binary",
      "--require-hashes",
      "--no-index",
      "-f ./wheels",
      "--find-links=https://example.com/wheels",
      "--use-feature=fast-deps",
      "",
    ].join("\n");
    expect(parse(text)).toEqual({ ecosystem: "PyPI", kind: "manifest", dependencies: [] });
  });

  it("strips comments after whitespace but keeps # inside URLs", () => {
    const deps = parse("requests==2.31.0 # trailing\n").dependencies;
    expect(deps.map((d) => [d.name, d.version])).toEqual([["requests", "2.31.0"]]);
    const egg = parse("git+https://h/r.git#egg=mypkg # comment\n").dependencies;
    expect(egg.map((d) => [d.name, d.source?.spec])).toEqual([["mypkg", "git+https://h/r.git#egg=mypkg"]]);
  });

  it("follows pip on continuations: joined onto the first line, ended by a comment line, kept at end of file", () => {
    const deps = parse("flask\\\n>=2.0\\\n,<3\nclick==8.1.7 \\\n# a comment ends it\nrich==13.0.0 \\").dependencies;
    expect(deps.map((d) => [d.name, d.requirement, d.line])).toEqual([
      ["flask", ">=2.0,<3", 1],
      ["click", "==8.1.7", 4],
      ["rich", "==13.0.0", 6],
    ]);
  });

  it("keeps dependencies behind environment markers without evaluating them", () => {
    const deps = parse('pywin32==306 ; sys_platform == "win32"\nlegacy==1.0; python_version < "2.7"\n').dependencies;
    expect(deps.map((d) => [d.name, d.version])).toEqual([
      ["pywin32", "306"],
      ["legacy", "1.0"],
    ]);
  });

  it("records the first hash, in either option spelling", () => {
    const deps = parse("six==1.16.0 --hash sha256:aaa --hash=sha256:bbb\nattrs==23.1.0\n").dependencies;
    expect(deps[0]?.integrity).toBe("sha256:aaa");
    expect(deps[1]).not.toHaveProperty("integrity");
  });

  it("names -e and URL requirements by #egg=, archive name, or the reference without credentials", () => {
    const deps = parse(
      [
        "-e git+ssh://git@github.com/o/tool.git@main#egg=My_Tool&subdirectory=py",
        "--editable=./packages/core[dev]",
        "https://user:s3cret@example.com/private/tarball/main?token=s3cret#frag",
        "hg+https://hg.example.com/repo#egg=hgpkg",
        "dist/My.Package-1.0-py3-none-any.whl",
      ].join("\n"),
    ).dependencies;
    expect(deps.map((d) => [d.name, d.source?.kind, d.line])).toEqual([
      ["my-tool", "git", 1],
      ["./packages/core", "file", 2],
      ["https://example.com/private/tarball/main", "url", 3],
      ["hgpkg", "url", 4],
      ["my-package", "file", 5],
    ]);
    expect(deps[2]?.name).not.toContain("s3cret");
  });

  it("throws for a line that is not a requirement, with its line", () => {
    const error = parseError("requests==2.31.0\n\n# fine\nlodash$$\n");
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/line 4/);
    expect(parseError("ok==1\nbroken \\\n  ==1.0 extra\n").line).toBe(2);
    expect(parseError("pkg=1.0\n").line).toBe(1);
    expect(parseError("-r\n").line).toBe(1);
    expect(parseError("x\n-e\n").line).toBe(2);
    expect(parseError("https://example.com/x.whl junk\n").line).toBe(1);
  });

  it("handles a BOM and CRLF line endings", () => {
    const deps = parse("\uFEFF# header\r\nrequests==2.31.0 \\\r\n    --hash=sha256:abc\r\nflask>=2\r\n").dependencies;
    expect(deps.map((d) => [d.name, d.version, d.line, d.integrity])).toEqual([
      ["requests", "2.31.0", 2, "sha256:abc"],
      ["flask", undefined, 4, undefined],
    ]);
  });

  it("stays linear on a 100,000-line file and on long hostile lines", () => {
    const big = Array.from({ length: 100_000 }, (_, i) => (i % 3 === 0 ? `pkg${i}==1.${i} \\\n    --hash=sha256:${i}` : `# c ${i}`)).join("\n");
    let start = performance.now();
    const deps = parse(big).dependencies;
    expect(deps).toHaveLength(33_334);
    expect(deps.at(-1)?.line).toBe(133_333);
    expect(performance.now() - start).toBeLessThan(3000);
    start = performance.now();
    expect(() => parse(`./${"[".repeat(100_000)}`)).not.toThrow();
    expect(() => parse(`a${" ".repeat(100_000)}b`)).toThrow(DependencyParseError);
    expect(() => parse(`x${" \t".repeat(50_000)}#`)).not.toThrow();
    expect(() => parse(`https://a${"/".repeat(100_000)}x`)).not.toThrow();
    expect(parse(`x${"\\".repeat(100_000)}y==1 \\`).dependencies[0]?.source?.kind).toBe("file");
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe("requirementsTxtFormat on damaged input", () => {
  it("only ever throws DependencyParseError, and keeps lines in the file", () => {
    expectParserSurvivesDamage(parse, [fixture("pip-compile-hashes.txt"), fixture("hand-written-mixed.txt")], { numRuns: 500 });
  });
});
