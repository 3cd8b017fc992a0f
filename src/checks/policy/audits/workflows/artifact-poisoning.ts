/**
 * Artifact poisoning: a `workflow_run` workflow (or a `pull_request_target` one) downloads the
 * artifacts of a run that built a pull request's code. The pull request's author decided what went
 * into them, file names included: extracted into the workspace they can replace a script, a
 * `package.json` or an action of the checkout, which the next step runs with the base repository's
 * secrets.
 *
 * Reported on the download (`actions/download-artifact` with another run's `run-id`,
 * `dawidd6/action-download-artifact`, a github-script `downloadArtifact`, `gh run download`) when
 * the files land at the workspace's root (no `path:`, `.`, `${{ github.workspace }}`) and a later
 * step of the job builds or runs workspace code (`npm ci`, `make`, `./script`, a local action), or
 * in a directory of the workspace from which a later step runs something (`./dist/run.sh`,
 * `node out/index.js`, `uses: ./out`). Reading them as data (`cat`, a comment action) is not
 * reported: with nothing executed, files cannot become code. Extracting to `${{ runner.temp }}` and treating the files as data is the safe
 * pattern; what is then done with their contents (`$GITHUB_ENV`) is `github-env`'s concern.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument } from "../../domains/workflow.js";
import { hasTrigger, PRIVILEGED_PR_TRIGGERS } from "../../workflow/steps.js";
import { runArtifactDownload } from "../../workflow/untrusted-sources.js";
import { runsCodeFrom, runsWorkspaceCode } from "../../workflow/workspace-code.js";

export const artifactPoisoning = defineAudit<WorkflowDocument>({
  id: "artifact-poisoning",
  domain: "workflow",
  title: "Artifacts of an untrusted run extracted into the workspace",
  description:
    "A `workflow_run` or `pull_request_target` workflow extracts artifacts built by a pull request's code into its workspace, where their files can replace the scripts and configuration that later steps run with the base repository's secrets.",
  severity: "high",
  confidence: "medium",
  remediation:
    "Download the artifacts outside the workspace (`path: ${{ runner.temp }}/artifacts`), treat their contents as untrusted data (validate before use), and never run files from them.",
  link: "https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/",
  samples: {
    valid: [
      {
        note: "extracted to the runner's temp directory and read as data",
        text: `name: Comment coverage
on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  pull-requests: write
jobs:
  comment:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: coverage
          path: \${{ runner.temp }}/coverage
          run-id: \${{ github.event.workflow_run.id }}
          github-token: \${{ secrets.GITHUB_TOKEN }}
      - uses: marocchino/sticky-pull-request-comment@v2
        with:
          path: \${{ runner.temp }}/coverage/summary.md
`,
      },
      {
        note: "the run's own artifacts (no run-id) are this workflow's",
        text: `on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with:
          name: dist
      - run: ls dist
`,
      },
      {
        note: "a download with nothing after it",
        text: `on:
  workflow_run:
    workflows: [CI]
    types: [completed]
jobs:
  fetch:
    runs-on: ubuntu-latest
    steps:
      - run: gh run download "$RUN_ID" --name logs
        env:
          GH_TOKEN: \${{ github.token }}
          RUN_ID: \${{ github.event.workflow_run.id }}
`,
      },
      {
        note: "a directory of its own, read as data by the base's script",
        text: `on:
  workflow_run:
    workflows: [Size data]
    types: [completed]
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: pnpm install
      - uses: dawidd6/action-download-artifact@v6
        with:
          name: size-data
          run_id: \${{ github.event.workflow_run.id }}
          path: temp/size
      - run: node scripts/size-report.js temp/size > report.md
`,
      },
      {
        note: "extracted at the root of an empty workspace and only read",
        text: `on:
  workflow_run:
    workflows: [Primer]
    types: [completed]
jobs:
  comment:
    runs-on: ubuntu-latest
    steps:
      - uses: dawidd6/action-download-artifact@v6
        with:
          run_id: \${{ github.event.workflow_run.id }}
          name: diff
      - run: cat diff_*.txt | tee fulldiff.txt
      - uses: actions/github-script@v7
        with:
          script: |
            const body = require("fs").readFileSync("fulldiff.txt", "utf8");
            console.log(body.length);
`,
      },
    ],
    invalid: [
      {
        note: "into the workspace, then a build",
        text: `on:
  workflow_run:
    workflows: [Build]
    types: [completed]
jobs:
  deploy-preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dawidd6/action-download-artifact@v6
        with:
          workflow: build.yml
          run_id: \${{ github.event.workflow_run.id }}
          name: site
      - run: npm ci && npm run deploy
`,
        lines: [10],
      },
      {
        note: "github-script downloadArtifact and gh run download into the workspace",
        text: `on:
  workflow_run:
    workflows: [Tests]
    types: [completed]
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            const artifacts = await github.rest.actions.listWorkflowRunArtifacts({ ...context.repo, run_id: context.payload.workflow_run.id });
            const match = artifacts.data.artifacts.find((a) => a.name === "results");
            const zip = await github.rest.actions.downloadArtifact({ ...context.repo, artifact_id: match.id, archive_format: "zip" });
            require("fs").writeFileSync("results.zip", Buffer.from(zip.data));
      - run: unzip -o results.zip && npm run report
  second:
    runs-on: ubuntu-latest
    steps:
      - run: gh run download \${{ github.event.workflow_run.id }} -D out
      - run: cat out/summary.md
      - run: ./out/report.sh
`,
        lines: [14, 20],
      },
    ],
  },
  run(doc) {
    if (doc.kind !== "workflow" || !hasTrigger(doc, ...PRIVILEGED_PR_TRIGGERS)) return [];
    const findings: AuditFinding[] = [];
    for (const job of doc.jobs) {
      job.steps.forEach((step, i) => {
        const download = runArtifactDownload(step);
        if (!download || download.outsideWorkspace) return;
        const dir = download.dir;
        // At the workspace's root the files can replace any script or manifest a build runs; in a directory of their own, only what runs from there.
        const runner = job.steps.slice(i + 1).find((s) => (dir === undefined ? runsWorkspaceCode(s) : runsCodeFrom(s, dir)));
        if (!runner) return;
        const where = dir === undefined ? "the workspace" : `\`${dir}\` of the workspace`;
        findings.push({
          line: download.line,
          message: `This extracts artifacts of another run (${download.what}) into ${where}, and the step on line ${runner.line} runs code from there: the pull request that built them chose their files, so it can replace what runs here with this job's token and secrets.`,
          key: `${job.id}:artifact:${download.what}`,
        });
      });
    }
    return findings;
  },
});
