/**
 * The audits of untrusted input (template injection, untrusted checkout, GITHUB_ENV writes,
 * unsecure commands, artifact poisoning, self-hosted runners) beyond their samples: tricky
 * constructs, severities and confidences, keys, safe files in the style of well-known projects,
 * and hostile input.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Audit, AuditFinding } from "../../../../src/checks/policy/audit.js";
import { artifactPoisoning } from "../../../../src/checks/policy/audits/workflows/artifact-poisoning.js";
import { githubEnv } from "../../../../src/checks/policy/audits/workflows/github-env.js";
import { selfHostedRunner } from "../../../../src/checks/policy/audits/workflows/self-hosted-runner.js";
import { templateInjection } from "../../../../src/checks/policy/audits/workflows/template-injection.js";
import { unsecureCommands } from "../../../../src/checks/policy/audits/workflows/unsecure-commands.js";
import { untrustedCheckout } from "../../../../src/checks/policy/audits/workflows/untrusted-checkout.js";
import { parseWorkflow, type WorkflowDocument } from "../../../../src/checks/policy/domains/workflow.js";
import { policyOptionsSchema } from "../../../../src/checks/policy/options.js";

const AUDITS: readonly Audit<WorkflowDocument>[] = [templateInjection, untrustedCheckout, githubEnv, unsecureCommands, artifactPoisoning, selfHostedRunner];
const OPTIONS = { options: policyOptionsSchema.parse({}) };

function run(audit: Audit<WorkflowDocument>, text: string, path = ".github/workflows/ci.yml"): readonly AuditFinding[] {
  return audit.run(parseWorkflow(text, path), OPTIONS);
}
const lines = (findings: readonly AuditFinding[]) => findings.map((f) => f.line);

describe("safe workflows in the style of well-known projects", () => {
  const dir = new URL("../../../fixtures/policy/workflow/untrusted-input-safe/", import.meta.url).pathname;
  const walk = (sub: string): string[] =>
    readdirSync(join(dir, sub)).flatMap((name) => (statSync(join(dir, sub, name)).isDirectory() ? walk(join(sub, name)) : [join(sub, name)]));
  const files = walk("");

  it("has at least 8 of them", () => expect(files.length).toBeGreaterThanOrEqual(8));

  it.each(files)("%s gives no finding", (name) => {
    const path = name.endsWith("action.yml") ? `.github/${name}` : `.github/workflows/${name}`;
    const doc = parseWorkflow(readFileSync(join(dir, name), "utf8"), path);
    const findings = AUDITS.flatMap((audit) => audit.run(doc, OPTIONS).map((f) => `${audit.id}:${f.line}: ${f.message}`));
    expect(findings).toEqual([]);
  });
});

describe("template-injection", () => {
  it("reports each expression on its own line, inside heredocs and comments, once per expression", () => {
    const findings = run(
      templateInjection,
      `on: issue_comment
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: >
          echo start &&
          echo "\${{ github.event.comment.body }}" "\${{ github.event.issue.title }}"
      - run: |
          cat <<'EOF'
          \${{ github.event.issue.body }}
          EOF
          # \${{ github.event.issue.title }}
`,
    );
    expect(lines(findings)).toEqual([8, 8, 11, 13]);
    expect(findings[0]!.message).toBe("A comment (`github.event.comment.body`) is run as shell code in this shell script: anyone who can comment can run commands with this job's token and secrets.");
    expect(findings.every((f) => f.severity === undefined && f.confidence === undefined)).toBe(true);
  });

  it("keys by job and expression, so a moved line is old and the same line in another job is new", () => {
    const one = run(templateInjection, `on: issues\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo "\${{ github.event.issue.title }}"\n`);
    const moved = run(templateInjection, `on: issues\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: true\n      - run: |\n          echo "\${{  github.event.issue.title }}" | tee out\n`);
    const other = run(templateInjection, `on: issues\njobs:\n  b:\n    runs-on: x\n    steps:\n      - run: echo "\${{ github.event.issue.title }}"\n`);
    expect(one[0]!.key).toBe(moved[0]!.key);
    expect(one[0]!.key).not.toBe(other[0]!.key);
  });

  it("leaves env, with, if and names alone", () => {
    expect(
      run(
        templateInjection,
        `on: pull_request_target
jobs:
  a:
    name: \${{ github.event.pull_request.title }}
    if: contains(github.event.pull_request.title, 'x')
    runs-on: ubuntu-latest
    steps:
      - uses: some/action@v1
        with:
          title: \${{ github.event.pull_request.title }}
      - env:
          TITLE: \${{ github.event.pull_request.title }}
        run: echo "$TITLE"
`,
      ),
    ).toEqual([]);
  });

  it("reports reusable-workflow and action inputs at low confidence, typed inputs not at all", () => {
    const called = run(
      templateInjection,
      `on:
  workflow_call:
    inputs:
      title: { type: string }
      dry: { type: boolean }
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ inputs.title }}" --dry=\${{ inputs.dry }}
`,
    );
    expect(called.map((f) => [f.line, f.severity, f.confidence])).toEqual([[10, "medium", "low"]]);
    const action = run(templateInjection, `name: a\ndescription: b\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo \${{ inputs.name }}\n`, "action.yml");
    expect(action.map((f) => [f.line, f.confidence])).toEqual([[7, "low"]]);
  });

  it("reads github-script scripts, and not other actions' inputs named script", () => {
    const text = `on: discussion
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea
        with:
          script: |
            const t = "\${{ github.event.discussion.title }}";
      - uses: other/runner@v1
        with:
          script: echo "\${{ github.event.discussion.title }}"
`;
    const findings = run(templateInjection, text);
    expect(lines(findings)).toEqual([9]);
    expect(findings[0]!.message).toMatch(/run as JavaScript in this github-script script/);
  });

  it("follows aliases to the anchored script", () => {
    const text = `on: issues
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: &greet echo "\${{ github.event.issue.title }}"
  b:
    runs-on: ubuntu-latest
    steps:
      - run: *greet
`;
    expect(run(templateInjection, text).map((f) => [f.line, f.key])).toEqual([
      [6, "a:github.event.issue.title"],
      [6, "b:github.event.issue.title"],
    ]);
  });
});

describe("untrusted-checkout", () => {
  const prt = (steps: string, jobIf = "") => `on: pull_request_target
jobs:
  a:
    runs-on: ubuntu-latest${jobIf ? `\n    if: ${jobIf}` : ""}
    steps:
${steps}`;

  it("is critical when a later step runs the checked-out code, high otherwise", () => {
    const build = run(untrustedCheckout, prt(`      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.head_ref }}\n      - run: make\n`));
    expect(build.map((f) => [f.line, f.endLine, f.severity])).toEqual([[6, 8, "critical"]]);
    expect(build[0]!.message).toMatch(/step on line 9 runs code from it/);
    const only = run(untrustedCheckout, prt(`      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.ref }}\n      - run: echo done\n`));
    expect(only.map((f) => [f.line, f.severity])).toEqual([[6, undefined]]);
  });

  it("explains why label and actor gates do not protect", () => {
    const labelled = run(untrustedCheckout, prt(`      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`, "contains(github.event.pull_request.labels.*.name, 'ok to test')"));
    expect(labelled[0]!.message).toMatch(/label condition does not make it safe/);
    const actor = run(untrustedCheckout, prt(`      - if: github.actor == 'dependabot[bot]'\n        uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`));
    expect(actor[0]!.message).toMatch(/actor condition does not make it safe/);
  });

  it("finds git and gh commands that fetch the head, directly or through env", () => {
    const findings = run(
      untrustedCheckout,
      prt(`      - uses: actions/checkout@v4
      - env:
          HEAD: \${{ github.event.pull_request.head.sha }}
        run: |
          git fetch origin "$HEAD"
          git checkout --detach "\${HEAD}"
          gh pr checkout \${{ github.event.pull_request.number }}
          git log -1 "$GITHUB_SHA"
          # git checkout $HEAD
      - run: npm ci
`),
    );
    expect(findings.map((f) => [f.line, f.severity])).toEqual([
      [10, "critical"],
      [11, "critical"],
      [12, "critical"],
    ]);
  });

  it("accepts the base, pull_request workflows, and gates that admit only this repository's branches", () => {
    expect(run(untrustedCheckout, prt(`      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.base.ref }}\n      - run: npm ci\n`))).toEqual([]);
    expect(run(untrustedCheckout, prt(`      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`, "github.event.pull_request.head.repo.fork == false"))).toEqual([]);
    expect(run(untrustedCheckout, prt(`      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`, "github.event.pull_request.head.repo.full_name == github.repository || github.actor == 'me'"))).toHaveLength(1);
    const push = `on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  a:\n    if: github.event.workflow_run.event == 'push'\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.workflow_run.head_sha }}\n`;
    expect(run(untrustedCheckout, push)).toEqual([]);
    expect(run(untrustedCheckout, push.replace("'push'", "'pull_request'"))).toHaveLength(1);
    expect(run(untrustedCheckout, prt(`      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}\n`).replace("pull_request_target", "pull_request"))).toEqual([]);
  });
});

describe("github-env", () => {
  const job = (script: string, on = "pull_request_target", env = "") => `on: ${on}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - ${env ? `env:\n          ${env}\n        ` : ""}run: |
${script
  .split("\n")
  .map((l) => `          ${l}`)
  .join("\n")}
`;

  it("follows shell variables assigned from untrusted env", () => {
    const text = job('msg=$(echo "$TITLE" | head -1)\nexport DIR="$msg/bin"\necho "$DIR" >> $GITHUB_PATH', "pull_request_target", "TITLE: ${{ github.event.pull_request.title }}");
    expect(run(githubEnv, text).map((f) => [f.line, f.severity])).toEqual([[11, undefined]]);
  });

  it("finds writes in groups, tee and PowerShell, and rates GITHUB_OUTPUT medium", () => {
    const text = job(
      [
        "{",
        '  echo "NOTES<<EOF"',
        '  echo "${{ github.event.pull_request.body }}"',
        '  echo "EOF"',
        '} >> "$GITHUB_ENV"',
        'echo "title=${{ github.event.issue.title }}" | tee -a "$GITHUB_OUTPUT"',
        'Add-Content -Path $env:GITHUB_ENV -Value "B=${{ github.event.review.body }}"',
      ].join("\n"),
    );
    expect(run(githubEnv, text).map((f) => [f.line, f.severity])).toEqual([
      [9, undefined],
      [12, "medium"],
      [13, undefined],
    ]);
  });

  it("does not report branch names to GITHUB_ENV, static values, or reads in unprivileged workflows", () => {
    expect(run(githubEnv, job('echo "REF=${{ github.head_ref }}" >> "$GITHUB_ENV"\necho "REF=$GITHUB_HEAD_REF" >> "$GITHUB_ENV"\necho "A=b" >> "$GITHUB_ENV"'))).toEqual([]);
    expect(run(githubEnv, job('echo "REF=${{ github.head_ref }}" >> "$GITHUB_PATH"'))).toHaveLength(1);
    expect(run(githubEnv, job('echo "V=$(cat VERSION)" >> "$GITHUB_ENV"', "pull_request"))).toEqual([]);
  });

  it("reports values read from the checked-out head in a privileged workflow", () => {
    const text = `on: pull_request_target
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - run: echo "VERSION=$(jq -r .version package.json)" >> "$GITHUB_ENV"
`;
    expect(run(githubEnv, text).map((f) => [f.line, f.confidence])).toEqual([[9, "medium"]]);
  });

  it("follows a value read from a downloaded artifact into a variable, but not command output", () => {
    const text = `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: pr
          path: .pr
          run-id: \${{ github.event.workflow_run.id }}
      - run: |
          if [[ -f .pr/NUMBER ]]; then
            PR=$(cat .pr/NUMBER)
          else
            PR="\${{ github.event.workflow_run.pull_requests[0].number }}"
          fi
          echo "PR=$PR" >> $GITHUB_ENV
          echo pr=$(gh pr list --search "$SHA" --json number --jq ".[0].number") >> "$GITHUB_OUTPUT"
          tag="$(tr -cd 'A-Za-z0-9_-' < .pr/tag.txt)"
          echo "tag=$tag" >> "$GITHUB_OUTPUT"
`;
    expect(run(githubEnv, text).map((f) => [f.line, f.confidence])).toEqual([[20, "medium"]]);
  });
});

describe("unsecure-commands", () => {
  it("rates an expression value at medium confidence and ignores false", () => {
    const text = `on: push
env:
  ACTIONS_ALLOW_UNSECURE_COMMANDS: \${{ vars.LEGACY }}
jobs:
  a:
    runs-on: x
    env:
      ACTIONS_ALLOW_UNSECURE_COMMANDS: "false"
    steps:
      - run: echo ok
`;
    expect(run(unsecureCommands, text).map((f) => [f.line, f.confidence])).toEqual([[3, "medium"]]);
  });
});

describe("artifact-poisoning", () => {
  const wr = (steps: string) => `on:\n  workflow_run:\n    workflows: [CI]\n    types: [completed]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

  it("reports a directory of the workspace only when a later step runs something from it", () => {
    const download = `      - uses: actions/download-artifact@v4\n        with:\n          path: out\n          run-id: \${{ github.event.workflow_run.id }}\n          github-token: \${{ github.token }}\n`;
    expect(run(artifactPoisoning, wr(`${download}      - run: cat out/report.md\n`))).toEqual([]);
    expect(lines(run(artifactPoisoning, wr(`${download}      - run: bash out/post.sh\n`)))).toEqual([9]);
    expect(lines(run(artifactPoisoning, wr(`${download}      - run: cd out && npm install\n`)))).toEqual([9]);
    expect(lines(run(artifactPoisoning, wr(`${download}      - uses: ./out/action\n`)))).toEqual([9]);
  });

  it("reports the workspace root when a later step builds, and reads --dir from a continued line", () => {
    const root = `      - uses: actions/download-artifact@v4\n        with:\n          path: \${{ github.workspace }}\n          run-id: \${{ github.event.workflow_run.id }}\n`;
    expect(run(artifactPoisoning, wr(`${root}      - run: ls -la\n`))).toEqual([]);
    expect(lines(run(artifactPoisoning, wr(`${root}      - run: ls -la\n      - run: yarn install --frozen-lockfile\n`)))).toEqual([9]);
    const continued = `      - run: |\n          gh run download "$ID" \\\n            --dir /tmp/artifacts\n        env:\n          ID: \${{ github.event.workflow_run.id }}\n      - run: ./build.sh\n`;
    expect(run(artifactPoisoning, wr(continued))).toEqual([]);
  });
});

describe("self-hosted-runner", () => {
  it("reads matrix includes, rates a bare group low, and ignores push-only workflows", () => {
    const text = `on: [pull_request]
jobs:
  a:
    strategy:
      matrix:
        include:
          - runner: [self-hosted, arm64]
    runs-on: \${{ matrix.runner }}
    steps: [{ run: make }]
  b:
    runs-on:
      group: large-runners
    steps: [{ run: make }]
`;
    expect(run(selfHostedRunner, text).map((f) => [f.line, f.confidence])).toEqual([
      [8, undefined],
      [11, "low"],
    ]);
    expect(run(selfHostedRunner, text.replace("[pull_request]", "[push]"))).toEqual([]);
  });
});

describe("hostile input", () => {
  it("judges a huge script quickly", () => {
    const script = Array.from({ length: 20_000 }, (_, i) => `          echo "line ${i} \${{ github.sha }}" >> "$GITHUB_ENV"; git fetch origin pull/$PR/head ;a=a=a=a=a=a=a=a=a=a`).join("\n");
    const text = `on: pull_request_target\njobs:\n  a:\n    runs-on: [self-hosted]\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n${script}\n`;
    const doc = parseWorkflow(text, ".github/workflows/big.yml");
    const started = Date.now();
    for (const audit of AUDITS) audit.run(doc, OPTIONS);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("judges long lines of metacharacters without backtracking", () => {
    const line = `${";a=".repeat(30_000)} sh ${"x/".repeat(20_000)}`;
    const text = `on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: \${{ github.head_ref }}\n      - run: "${line}"\n`;
    const doc = parseWorkflow(text, ".github/workflows/long.yml");
    const started = Date.now();
    for (const audit of AUDITS) audit.run(doc, OPTIONS);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
