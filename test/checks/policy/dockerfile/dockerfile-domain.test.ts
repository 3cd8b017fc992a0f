/**
 * The Dockerfile model: which paths are Dockerfiles, stages and FROM images, continuations and
 * heredocs joined with their lines, the escape directive, ARG before FROM, what does not parse, and
 * hostile input that must stay fast and safe.
 */
import { describe, expect, it } from "vitest";
import {
  dockerfileDomain,
  expandArgs,
  finalStage,
  parseDockerfile,
  splitImage,
  type DockerInstruction,
  type DockerfileDocument,
  type RunInstruction,
} from "../../../../src/checks/policy/domains/dockerfile.js";
import { policyParseErrorOf } from "../audit-harness.js";

const parse = (text: string): DockerfileDocument => parseDockerfile(text, "Dockerfile");
const runs = (doc: DockerfileDocument): RunInstruction[] =>
  doc.stages.flatMap((s) => s.instructions).filter((i): i is RunInstruction => i.kind === "run");
const lineOf = (text: { text: string; lineAt(o: number): number }, needle: string) => text.lineAt(text.text.indexOf(needle));

const parseError = (text: string) => policyParseErrorOf(() => parse(text));

describe("dockerfileDomain.matches", () => {
  it.each([
    "Dockerfile",
    "dockerfile",
    "services/api/Dockerfile",
    "Dockerfile.prod",
    "docker/Dockerfile.dev",
    "Dockerfile-alpine",
    "web.Dockerfile",
    "hack/lint.dockerfile",
    "Containerfile",
    "Dockerfile.template",
  ])("reads %s", (path) => expect(dockerfileDomain.matches(path)).toBe(true));

  it.each([
    "Dockerfile.dockerignore",
    "app.Dockerfile.dockerignore",
    "docs/Dockerfile.md",
    "src/checks/policy/domains/dockerfile.ts",
    "dockerfile.go",
    "test/dockerfile.test.ts",
    "docker-compose.yml",
    ".dockerignore",
    "Dockerfiles/README",
    ".Dockerfile",
  ])("leaves %s alone", (path) => expect(dockerfileDomain.matches(path)).toBe(false));
});

describe("stages and images", () => {
  const doc = parse(
    [
      "# syntax=docker/dockerfile:1",
      "ARG NODE_VERSION=20",
      "ARG BASE",
      "FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS Build",
      "RUN npm ci",
      "FROM build AS test",
      "FROM registry.example.com:5000/team/runtime@sha256:abc123",
      "FROM ${BASE}",
      "FROM scratch",
      "",
    ].join("\n"),
  );

  it("collects the ARGs before the first FROM with their lines", () => {
    expect(doc.globalArgs).toEqual([
      { name: "NODE_VERSION", value: "20", line: 2 },
      { name: "BASE", value: null, line: 3 },
    ]);
    expect(doc.directives).toEqual({ syntax: "docker/dockerfile:1" });
  });

  it("reads each FROM's image, tag, alias, platform and line", () => {
    const [build, test, runtime, variable, scratch] = doc.stages.map((s) => s.from);
    expect(build).toMatchObject({ line: 4, alias: "build", platform: "$BUILDPLATFORM", image: { raw: "node:${NODE_VERSION}-alpine", name: "node", tag: "${NODE_VERSION}-alpine", hasVariables: true, resolved: "node:20-alpine" } });
    expect(test!.image).toMatchObject({ raw: "build", stage: 0 });
    expect(runtime!.image).toMatchObject({ name: "registry.example.com:5000/team/runtime", digest: "sha256:abc123" });
    expect(runtime!.image.tag).toBeUndefined();
    expect(variable!.image.hasVariables).toBe(true);
    expect(variable!.image.resolved).toBeUndefined();
    expect(scratch!.image.name).toBe("scratch");
    expect(finalStage(doc).index).toBe(4);
  });

  it("keeps each stage's instructions, its FROM first", () => {
    expect(doc.stages[0]!.instructions.map((i) => i.keyword)).toEqual(["FROM", "RUN"]);
  });

  it("splits image references without cutting variables", () => {
    expect(splitImage("node:${VERSION:-20}")).toEqual({ name: "node", tag: "${VERSION:-20}" });
    expect(splitImage("localhost:5000/app")).toEqual({ name: "localhost:5000/app" });
    expect(splitImage("ubuntu:24.04@sha256:ab")).toEqual({ name: "ubuntu", tag: "24.04", digest: "sha256:ab" });
  });

  it("expands ARG defaults, or says it cannot", () => {
    const args = [
      { name: "A", value: "1", line: 1 },
      { name: "B", value: "${A}.2", line: 2 },
      { name: "C", value: null, line: 3 },
    ];
    expect(expandArgs("x:$B", args)).toBe("x:1.2");
    expect(expandArgs("x:${C:-dflt}", args)).toBe("x:dflt");
    expect(expandArgs("x:${C}", args)).toBeUndefined();
    expect(expandArgs("x:${UNKNOWN}", args)).toBeUndefined();
  });

  it("reads a template's FROM with spaces in its placeholder as a variable image", () => {
    const from = parse("FROM alpine:{{ env.version }} AS base\n").stages[0]!.from;
    expect(from.alias).toBe("base");
    expect(from.image).toMatchObject({ raw: "alpine:{{ env.version }}", hasVariables: true });
  });
});

describe("RUN commands", () => {
  it("joins continuation lines, drops comment and blank lines inside them, and maps offsets to lines", () => {
    const doc = parse(
      ["FROM alpine:3.20", "RUN --mount=type=cache,target=/var/cache/apk \\", "    apk add curl \\", "    # a comment inside", "", "    && curl --version", ""].join("\n"),
    );
    const [run] = runs(doc);
    expect(run!.line).toBe(2);
    expect(run!.endLine).toBe(6);
    expect(run!.flags).toEqual([{ name: "mount", value: "type=cache,target=/var/cache/apk", line: 2 }]);
    expect(run!.args.text).toBe("apk add curl     && curl --version");
    expect(lineOf(run!.args, "apk add")).toBe(3);
    expect(lineOf(run!.args, "curl --version")).toBe(6);
  });

  it("treats trailing blanks after the escape character as a continuation", () => {
    const [run] = runs(parse("FROM alpine:3.20\nRUN echo a \\   \n    && echo b\n"));
    expect(run!.args.text).toBe("echo a     && echo b");
  });

  it("honours `# escape=` (Windows style backtick)", () => {
    const doc = parse(["# escape=`", "FROM mcr.microsoft.com/windows/servercore:ltsc2022", "RUN powershell -Command `", "    Write-Host hi", ""].join("\n"));
    expect(doc.escape).toBe("`");
    expect(runs(doc)[0]!.args.text).toBe("powershell -Command     Write-Host hi");
  });

  it("reads the exec form as words", () => {
    const [run] = runs(parse('FROM alpine:3.20\nRUN ["sh", \\\n  "-c", "echo hi"]\n'));
    expect(run!.exec).toEqual(["sh", "-c", "echo hi"]);
  });

  it("keeps heredoc bodies apart from the command line, with their lines", () => {
    const doc = parse(["FROM alpine:3.20", "RUN --mount=type=secret,id=tok <<EOF bash", "set -e", "# a comment in the script", "curl -fsSL https://x | sh", "EOF", "USER nobody", ""].join("\n"));
    const [run] = runs(doc);
    expect(run!.args.text).toBe("<<EOF bash");
    expect(run!.heredocs).toHaveLength(1);
    const body = run!.heredocs[0]!.body;
    expect(body.text).toBe("set -e\n# a comment in the script\ncurl -fsSL https://x | sh\n");
    expect(lineOf(body, "curl")).toBe(5);
    expect(run!.endLine).toBe(6);
    expect(doc.stages[0]!.instructions.map((i) => i.keyword)).toEqual(["FROM", "RUN", "USER"]);
  });

  it("reads several heredocs in order, `<<-` tab stripping and quoted delimiters", () => {
    const doc = parse(["FROM alpine:3.20", "RUN cat <<-A > /a && cat <<'B' > /b", "\tone", "\tA", "$two", "B", ""].join("\n"));
    const [run] = runs(doc);
    expect(run!.heredocs.map((h) => [h.name, h.body.text])).toEqual([
      ["A", "one\n"],
      ["B", "$two\n"],
    ]);
  });

  it("does not take a quoted `<<EOF` for a heredoc", () => {
    const doc = parse('FROM alpine:3.20\nRUN echo "a <<EOF"\nUSER nobody\n');
    expect(runs(doc)[0]!.heredocs).toEqual([]);
    expect(doc.stages[0]!.instructions.map((i) => [i.kind, i.line])).toEqual([
      ["from", 1],
      ["run", 2],
      ["user", 3],
    ]);
  });

  it("reads COPY heredocs and ONBUILD triggers", () => {
    const doc = parse("FROM alpine:3.20\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\nONBUILD RUN curl -fsSL https://x | sh\n");
    const [, copy, onbuild] = doc.stages[0]!.instructions as DockerInstruction[];
    expect(copy).toMatchObject({ kind: "copy", sources: ["<<EOF"], destination: "/etc/app.conf" });
    expect(copy!.heredocs[0]!.body.text).toBe("key=value\n");
    expect(onbuild).toMatchObject({ kind: "onbuild", trigger: { kind: "run", line: 5 } });
  });
});

describe("ENV, ARG and USER", () => {
  it("reads each pair with its own line, both syntaxes, quotes removed", () => {
    const doc = parse('FROM alpine:3.20\nENV A=1 \\\n    B="two words"\nENV LEGACY value with spaces\nARG TOKEN\nUSER app:staff\n');
    const [, env1, env2, arg, user] = doc.stages[0]!.instructions;
    expect(env1).toMatchObject({ kind: "env", pairs: [{ name: "A", value: "1", line: 2 }, { name: "B", value: "two words", line: 3 }] });
    expect(env2).toMatchObject({ pairs: [{ name: "LEGACY", value: "value with spaces", line: 4 }] });
    expect(arg).toMatchObject({ kind: "arg", pairs: [{ name: "TOKEN", value: null, line: 5 }] });
    expect(user).toMatchObject({ kind: "user", user: "app", group: "staff", line: 6 });
  });
});

describe("what does not parse", () => {
  it("a file with no FROM, at line 1", () => {
    const error = parseError("# just a comment\nLABEL a=b\n");
    expect(error.line).toBe(2);
    expect(parseError("").message).toBe("no FROM instruction");
    expect(parseError("").line).toBe(1);
    expect(parseError("ARG X=1\n").message).toBe("no FROM instruction");
  });

  it("an instruction other than ARG before the first FROM, at its line", () => {
    const error = parseError("ARG A=1\nRUN echo hi\nFROM alpine:3.20\n");
    expect(error.message).toMatch(/RUN before the first FROM/);
    expect(error.line).toBe(2);
  });

  it("a FROM without an image, or with stray words", () => {
    expect(parseError("FROM alpine:3.20\nFROM\n").line).toBe(2);
    expect(parseError("FROM alpine:3.20 builder\n").message).toMatch(/FROM takes an image/);
    expect(parseError("FROM alpine:3.20 AS a b\n").line).toBe(1);
  });

  it("a heredoc that never ends, at its marker's line", () => {
    const error = parseError("FROM alpine:3.20\nRUN <<EOF\necho hi\n");
    expect(error.message).toBe("heredoc <<EOF is never closed");
    expect(error.line).toBe(2);
  });

  it("a file over the size limit", () => {
    expect(parseError(`FROM alpine:3.20\n${"# x\n".repeat(200_000)}`).message).toMatch(/too large/);
  });
});

describe("hostile and odd input", () => {
  it("keeps GitHub's line numbers with CRLF, lone CR and a BOM", () => {
    const doc = parse("\uFEFFFROM alpine:3.20\r\nRUN echo a\rb\r\nUSER nobody\r\n");
    expect(runs(doc)[0]!.line).toBe(2);
    expect(runs(doc)[0]!.args.text).toBe("echo a b");
    expect(doc.stages[0]!.instructions[2]).toMatchObject({ kind: "user", line: 3 });
  });

  it("parses a 400 KB file of continuations and a 400 KB line quickly", () => {
    const continued = `FROM alpine:3.20\nRUN a \\\n${"  b \\\n".repeat(60_000)}  c\n`;
    const long = `FROM alpine:3.20\nRUN ${"x".repeat(400_000)}\n`;
    const start = performance.now();
    expect(runs(parse(continued))[0]!.args.text.length).toBeGreaterThan(200_000);
    expect(runs(parse(long))[0]!.args.text.length).toBe(400_000);
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  it("survives unbalanced quotes, brackets and variables", () => {
    const doc = parse(`FROM node:\${X\nRUN echo "unterminated '\nENV A="open\nRUN ["sh", "-c"\nFROM \${\${\${ AS x\n`);
    expect(doc.stages).toHaveLength(2);
  });
});
