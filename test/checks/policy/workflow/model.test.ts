import { describe, expect, it } from "vitest";
import { PolicyParseError } from "../../../../src/checks/policy/audit.js";
import { allSteps, effectiveShell, parseWorkflow, trigger, workflowDomain } from "../../../../src/checks/policy/domains/workflow.js";

const CI = `name: CI
on:
  pull_request_target:
    types: [opened, synchronize]
    branches: main
  push:
  workflow_dispatch:
    inputs:
      level:
        type: choice
        options: [a, b]
      note:
        description: free text
permissions: read-all
env:
  FORCE_COLOR: 1
defaults:
  run:
    shell: bash
jobs:
  build:
    name: Build \${{ matrix.os }}
    runs-on: [self-hosted, linux]
    permissions:
      contents: write
      pull-requests: read
    if: github.repository == 'o/r'
    needs: [lint]
    environment:
      name: production
    env:
      NODE_ENV: test
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
          fetch-depth: 0
      - name: Run
        id: run
        shell: pwsh
        run: |
          echo one
            echo "\${{ github.event.pull_request.title }}"
        env:
          X: >
            a
            b
      - run: echo hi
        working-directory: app
  call:
    uses: org/repo/.github/workflows/x.yml@v1
    with:
      level: 3
    secrets: inherit
  pass:
    uses: ./.github/workflows/y.yml
    secrets:
      token: \${{ secrets.TOKEN }}
  grouped:
    runs-on:
      group: big
      labels: [linux]
    permissions: {}
    steps: []
`;

describe("workflowDomain.matches", () => {
  it("reads workflows directly under .github/workflows and actions anywhere", () => {
    expect(workflowDomain.matches(".github/workflows/ci.yml")).toBe(true);
    expect(workflowDomain.matches(".github/workflows/release.yaml")).toBe(true);
    expect(workflowDomain.matches("action.yml")).toBe(true);
    expect(workflowDomain.matches(".github/actions/setup/action.yaml")).toBe(true);
    expect(workflowDomain.matches(".github/workflows/nested/ci.yml")).toBe(false);
    expect(workflowDomain.matches("sub/.github/workflows/ci.yml")).toBe(false);
    expect(workflowDomain.matches(".github/workflows/README.md")).toBe(false);
    expect(workflowDomain.matches("src/my-action.yml")).toBe(false);
    expect(workflowDomain.matches(".github/dependabot.yml")).toBe(false);
  });
});

describe("parseWorkflow", () => {
  const doc = parseWorkflow(CI, ".github/workflows/ci.yml");

  it("reads triggers with their filters and lines", () => {
    expect(doc.kind).toBe("workflow");
    expect(doc.name?.value).toBe("CI");
    expect(doc.triggers.map((t) => [t.event, t.line])).toEqual([
      ["pull_request_target", 3],
      ["push", 6],
      ["workflow_dispatch", 7],
    ]);
    expect(trigger(doc, "pull_request_target")?.filters.get("types")).toEqual(["opened", "synchronize"]);
    expect(trigger(doc, "pull_request_target")?.filters.get("branches")).toEqual(["main"]);
    expect(trigger(doc, "push")?.raw).toBeNull();
    expect(doc.inputs.map((i) => [i.name, i.type, i.source, i.line])).toEqual([
      ["level", "choice", "workflow_dispatch", 9],
      ["note", undefined, "workflow_dispatch", 12],
    ]);
  });

  it("accepts `on` as a string or a list", () => {
    const one = parseWorkflow("on: push\njobs: {}\n", ".github/workflows/a.yml");
    expect(one.triggers.map((t) => [t.event, t.line])).toEqual([["push", 1]]);
    const list = parseWorkflow("on:\n  - push\n  - pull_request\njobs: {}\n", ".github/workflows/a.yml");
    expect(list.triggers.map((t) => [t.event, t.line])).toEqual([
      ["push", 2],
      ["pull_request", 3],
    ]);
  });

  it("reads permissions, env and defaults", () => {
    expect(doc.permissions).toMatchObject({ line: 14, all: "read-all" });
    expect(doc.env.get("FORCE_COLOR")).toMatchObject({ value: "1", line: 16 });
    expect(doc.defaultShell?.value).toBe("bash");
    const build = doc.jobs[0]!;
    expect(build.permissions?.all).toBeUndefined();
    expect([...build.permissions!.scopes].map(([k, v]) => [k, v.value, v.line])).toEqual([
      ["contents", "write", 25],
      ["pull-requests", "read", 26],
    ]);
    expect(doc.jobs[3]!.permissions).toMatchObject({ line: 63 });
    expect(doc.jobs[3]!.permissions!.scopes.size).toBe(0);
    expect(parseWorkflow("on: push\njobs: {}\n", ".github/workflows/a.yml").permissions).toBeUndefined();
  });

  it("reads jobs with their lines", () => {
    expect(doc.jobs.map((j) => [j.id, j.line])).toEqual([
      ["build", 21],
      ["call", 50],
      ["pass", 55],
      ["grouped", 59],
    ]);
    const build = doc.jobs[0]!;
    expect(build.name?.value).toBe("Build ${{ matrix.os }}");
    expect(build.runsOn).toEqual({ line: 23, labels: ["self-hosted", "linux"] });
    expect(build.if).toMatchObject({ value: "github.repository == 'o/r'", line: 27 });
    expect(build.needs).toEqual(["lint"]);
    expect(build.environment).toMatchObject({ value: "production", line: 30 });
    expect(build.env.get("NODE_ENV")?.line).toBe(32);
    expect(doc.jobs[3]!.runsOn).toEqual({ line: 60, labels: ["linux"], group: "big" });
    expect(doc.jobs[3]!.steps).toEqual([]);
  });

  it("reads reusable-workflow calls with `with` and `secrets`", () => {
    const call = doc.jobs[1]!;
    expect(call).toMatchObject({ uses: "org/repo/.github/workflows/x.yml@v1", usesLine: 51 });
    expect(call.with.get("level")).toMatchObject({ value: "3", line: 53 });
    expect(call.secrets).toMatchObject({ inherit: true, line: 54 });
    const pass = doc.jobs[2]!;
    expect(pass.secrets?.inherit).toBe(false);
    expect(pass.secrets?.values.get("token")).toMatchObject({ value: "${{ secrets.TOKEN }}", line: 58 });
  });

  it("reads steps with the lines of uses, with, env and run", () => {
    const [checkout, run, hi] = doc.jobs[0]!.steps;
    expect(checkout).toMatchObject({ index: 0, line: 34, jobId: "build", uses: "actions/checkout@v4", usesLine: 34 });
    expect(checkout!.with.get("ref")).toMatchObject({ value: "${{ github.event.pull_request.head.sha }}", line: 36, valueLine: 36 });
    expect(checkout!.with.get("fetch-depth")).toMatchObject({ value: "0", line: 37 });
    expect(run).toMatchObject({ index: 1, line: 38 });
    expect(run!.name?.value).toBe("Run");
    expect(run!.id?.value).toBe("run");
    expect(run!.shell).toMatchObject({ value: "pwsh", line: 40 });
    expect(run!.run).toMatchObject({ line: 41, valueLine: 42 });
    expect(run!.run!.value).toBe('echo one\n  echo "${{ github.event.pull_request.title }}"\n');
    expect(run!.run!.lineAt(run!.run!.value.indexOf("${{"))).toBe(43);
    expect(run!.env.get("X")).toMatchObject({ value: "a b\n", line: 45, valueLine: 46 });
    expect(hi!.run).toMatchObject({ value: "echo hi", line: 48, valueLine: 48 });
    expect(hi!.workingDirectory?.value).toBe("app");
    expect(effectiveShell(doc, doc.jobs[0], run!)).toBe("pwsh");
    expect(effectiveShell(doc, doc.jobs[0], hi!)).toBe("bash");
    expect(checkout!.yamlPath).toEqual(["jobs", "build", "steps", 0]);
    expect(checkout!.raw).toEqual({ uses: "actions/checkout@v4", with: { ref: "${{ github.event.pull_request.head.sha }}", "fetch-depth": 0 } });
  });

  it("flattens `parallel:` groups into the job's steps", () => {
    const text = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: one
      - parallel:
          - run: two
          - uses: actions/cache@v4
      - run: three
`;
    const steps = parseWorkflow(text, ".github/workflows/p.yml").jobs[0]!.steps;
    expect(steps.map((s) => [s.index, s.line, s.run?.value ?? s.uses])).toEqual([
      [0, 6, "one"],
      [1, 8, "two"],
      [2, 9, "actions/cache@v4"],
      [3, 10, "three"],
    ]);
    expect(steps[1]!.yamlPath).toEqual(["jobs", "a", "steps", 1, "parallel", 0]);
  });

  it("reads composite actions", () => {
    const text = `name: Setup
description: d
inputs:
  version:
    description: v
runs:
  using: composite
  steps:
    - shell: bash
      run: echo "\${{ inputs.version }}"
`;
    const action = parseWorkflow(text, ".github/actions/setup/action.yml");
    expect(action.kind).toBe("action");
    expect(action.jobs).toEqual([]);
    expect(action.runs?.using?.value).toBe("composite");
    expect(action.inputs).toEqual([{ name: "version", line: 4, source: "action" }]);
    expect(allSteps(action).map(({ job, step }) => [job, step.jobId, step.line, step.run?.line])).toEqual([[undefined, "runs", 9, 10]]);
  });

  it("resolves anchors and aliases", () => {
    const text = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    env: &env
      A: one
    steps: &steps
      - run: echo hi
  b:
    runs-on: ubuntu-latest
    env: *env
    steps: *steps
`;
    const doc = parseWorkflow(text, ".github/workflows/anchors.yml");
    expect(doc.jobs[1]!.env.get("A")).toMatchObject({ value: "one", line: 6 });
    expect(doc.jobs[1]!.steps.map((s) => [s.run?.value, s.line])).toEqual([["echo hi", 8]]);
  });
});

describe("WorkflowText.lineAt", () => {
  function runOf(block: string) {
    const text = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${block}`;
    return parseWorkflow(text, ".github/workflows/t.yml").jobs[0]!.steps[0]!.run!;
  }
  const at = (run: ReturnType<typeof runOf>, needle: string) => run.lineAt(run.value.indexOf(needle));

  it("maps literal blocks line by line, blank lines and deeper indentation included", () => {
    const run = runOf("|\n          first\n\n            deeper\n          # comment X\n          last\n");
    expect(run.valueLine).toBe(7);
    expect([at(run, "first"), at(run, "deeper"), at(run, "X"), at(run, "last")]).toEqual([7, 9, 10, 11]);
  });

  it("maps `|-`, `|+` and indentation indicators", () => {
    const stripped = runOf("|-\n          a\n          b\n");
    expect(stripped.value).toBe("a\nb");
    expect(at(stripped, "b")).toBe(8);
    const indicated = runOf("|2\n            indented\n          base\n");
    expect(indicated.value).toBe("  indented\nbase\n");
    expect([at(indicated, "indented"), at(indicated, "base")]).toEqual([7, 8]);
  });

  it("maps folded blocks, whose lines are joined by spaces", () => {
    const run = runOf(">\n          echo one\n          two\n\n          three\n");
    expect(run.value).toBe("echo one two\nthree\n");
    expect([at(run, "one"), at(run, "two"), at(run, "three")]).toEqual([7, 8, 10]);
  });

  it("maps multi-line plain and quoted scalars", () => {
    const plain = runOf("echo one\n          two\n");
    expect(plain.value).toBe("echo one two");
    expect(at(plain, "two")).toBe(7);
    const quoted = runOf('"echo one\n          two"\n');
    expect(quoted.value).toBe("echo one two");
    expect([at(quoted, "one"), at(quoted, "two")]).toEqual([6, 7]);
  });

  it("maps a line it cannot align (escapes) to the line before", () => {
    const run = runOf('"echo \\u0041\n          next"\n');
    expect(run.value).toBe("echo A next");
    expect(at(run, "next")).toBe(7);
    expect(at(run, "A")).toBe(6);
  });
});

describe("parse errors", () => {
  const fails = (text: string, path = ".github/workflows/bad.yml") => {
    try {
      parseWorkflow(text, path);
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyParseError);
      return { message: (error as PolicyParseError).message, line: (error as PolicyParseError).line };
    }
    throw new Error("expected a PolicyParseError");
  };

  it("names the line of malformed YAML", () => {
    expect(fails("on: push\njobs:\n  a:\n    steps: [\n").line).toBe(5);
    expect(fails("on: push\non: pull_request\njobs: {}\n")).toMatchObject({ line: 2 });
  });

  it("names what is missing", () => {
    expect(fails("- a\n- b\n").message).toMatch(/mapping/);
    expect(fails("").message).toMatch(/empty/);
    expect(fails("name: x\non: push\n").message).toMatch(/no `jobs`/);
    expect(fails("name: x\ndescription: y\n", "action.yml").message).toMatch(/no `runs`/);
  });

  it("rejects jobs and steps of the wrong shape, with their line", () => {
    expect(fails("on: push\njobs: [a]\n")).toMatchObject({ line: 2 });
    expect(fails("on: push\njobs:\n  a: hello\n")).toMatchObject({ line: 3 });
    expect(fails("on: push\njobs:\n  a:\n    steps: run\n")).toMatchObject({ line: 4 });
    expect(fails("on: push\njobs:\n  a:\n    steps:\n      - echo hi\n")).toMatchObject({ line: 5 });
  });

  it("caps alias expansion (billion laughs)", () => {
    const bomb = ["on: push", "a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(", ")}]`);
    bomb.push("jobs: {}");
    expect(fails(bomb.join("\n")).message).toMatch(/alias|invalid/i);
  });

  it("survives deep nesting", () => {
    const deep = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      X: ${"[".repeat(3000)}${"]".repeat(3000)}\n`;
    expect(() => parseWorkflow(deep, ".github/workflows/deep.yml")).not.toThrow(RangeError);
  });
});
