import { describe, expect, it } from "vitest";
import { analyzeExpression, classifyContext, findExpressions, untrustedValueReads } from "../../../../src/checks/policy/workflow/expressions.js";

const paths = (source: string) => untrustedValueReads(source).map((r) => r.path);

describe("findExpressions", () => {
  it("finds each expression with its offsets", () => {
    const text = 'echo "${{ github.event.issue.title }}" && ${{ matrix.os }}';
    const spans = findExpressions(text);
    expect(spans.map((s) => [s.start, s.end, s.source.trim()])).toEqual([
      [6, 37, "github.event.issue.title"],
      [42, 58, "matrix.os"],
    ]);
    expect(text.slice(spans[0]!.start, spans[0]!.end)).toBe("${{ github.event.issue.title }}");
  });

  it("does not close an expression at `}}` inside a quoted string", () => {
    const spans = findExpressions("${{ format('}} {0}', github.event.comment.body) }} tail ${{ 'it''s }}' }}");
    expect(spans.map((s) => s.source.trim())).toEqual(["format('}} {0}', github.event.comment.body)", "'it''s }}'"]);
  });

  it("handles expressions across lines, and stops at one that is never closed", () => {
    expect(findExpressions("a ${{\n  inputs.os\n}} b").map((s) => s.source.trim())).toEqual(["inputs.os"]);
    expect(findExpressions("${{ github.sha }} ${{ github.event.issue.title")).toHaveLength(1);
    expect(findExpressions("no expressions, only $HOME and ${VAR}")).toEqual([]);
  });

  it("is linear on hostile text", () => {
    const started = Date.now();
    findExpressions("${{ '".repeat(50_000));
    findExpressions("${{".repeat(100_000));
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("analyzeExpression", () => {
  it("finds contexts in nested expressions, with index and filter syntax", () => {
    const { reads, parsed } = analyzeExpression("format('{0}-{1}', github.event['pull_request'].head.ref, join(github.event.commits.*.message, ','))");
    expect(parsed).toBe(true);
    expect(reads.map((r) => r.path).sort()).toEqual(["github.event.commits.*.message", "github.event.pull_request.head.ref"]);
    expect(reads.every((r) => r.reachesValue)).toBe(true);
    expect(analyzeExpression("github.event.commits[0].author.email").reads[0]!.path).toBe("github.event.commits.*.author.email");
    expect(analyzeExpression("GitHub.Event.Issue.Title").reads[0]!.path).toBe("github.event.issue.title");
  });

  it("marks reads that only steer a condition", () => {
    const { reads } = analyzeExpression("contains(github.event.pull_request.labels.*.name, 'ok') && github.event.issue.title == 'x' || !github.head_ref");
    expect(reads.map((r) => [r.path, r.reachesValue])).toEqual(expect.arrayContaining([["github.event.pull_request.labels.*.name", false], ["github.event.issue.title", false], ["github.head_ref", false]]));
  });

  it("falls back to a scan when the parser rejects the text", () => {
    const { reads, parsed } = analyzeExpression("unknownFn(github.event.issue.body, 'github.event.issue.title'");
    expect(parsed).toBe(false);
    expect(reads.map((r) => r.path)).toEqual(["github.event.issue.body"]);
  });
});

describe("untrustedValueReads", () => {
  it("reports attacker-written fields that reach the value", () => {
    expect(paths("github.event.pull_request.title")).toEqual(["github.event.pull_request.title"]);
    expect(paths("github.head_ref")).toEqual(["github.head_ref"]);
    expect(paths("format('{0}', github.event.review.body)")).toEqual(["github.event.review.body"]);
    expect(paths("toJSON(github.event)")).toEqual(["github.event"]);
    expect(paths("github.event.pull_request")).toEqual(["github.event.pull_request"]);
    expect(paths("github.event.*.body")).toEqual(["github.event.*.body"]);
    expect(paths("github.event.pages[0].page_name")).toEqual(["github.event.pages.*.page_name"]);
    expect(paths("github.event.workflow_run.head_commit.message")).toEqual(["github.event.workflow_run.head_commit.message"]);
    expect(paths("github.event.pull_request.title || github.event.issue.title")).toEqual(["github.event.issue.title", "github.event.pull_request.title"]);
    expect(paths("fromJSON(toJSON(github.event)).discussion.body")).toEqual(["github.event.discussion.body"]);
  });

  it("ignores trusted fields and values that cannot carry text", () => {
    for (const safe of [
      "github.event.pull_request.number",
      "github.event.pull_request.head.sha",
      "github.event.pull_request.head.repo.full_name",
      "github.event.pull_request.user.login",
      "github.sha",
      "secrets.TOKEN",
      "steps.meta.outputs.version",
      "env.TITLE",
      "contains(github.event.pull_request.title, 'WIP')",
      "startsWith(github.head_ref, 'release/')",
      "github.event.issue.title == 'bug'",
      "github.event.issue.body && 'has body'",
      "(github.event.pull_request || github.event.issue).number",
      "hashFiles(github.event.issue.title)",
      "'github.event.issue.title'",
    ]) {
      expect(paths(safe), safe).toEqual([]);
    }
  });

  it("tells inputs from attacker text", () => {
    expect(untrustedValueReads("inputs.message").map((r) => r.kind)).toEqual(["input"]);
    expect(untrustedValueReads("github.event.inputs.tag").map((r) => r.kind)).toEqual(["input"]);
    expect(untrustedValueReads("github.event.comment.body")[0]).toMatchObject({ kind: "attacker", what: "a comment", multiline: true });
    expect(untrustedValueReads("github.head_ref")[0]).toMatchObject({ multiline: false });
  });
});

describe("classifyContext", () => {
  it("describes a whole payload as such", () => {
    expect(classifyContext("github.event")?.what).toMatch(/whole event payload/);
    expect(classifyContext("github")?.kind).toBe("attacker");
    expect(classifyContext("github.event.pull_request.head")?.what).toMatch(/as a whole/);
    expect(classifyContext("github.repository")).toBeUndefined();
  });
});
