/**
 * `actions/checkout` writes the job's token into `.git/config` unless `persist-credentials: false`
 * (Unit 42's "ArtiPACKED", 2024). Uploading the checkout directory as an artifact then publishes
 * the token: on a public repository anyone can download the artifact while the job still runs and
 * the token is valid.
 *
 * Reported only when the token can end up in the artifact: a checkout that persists credentials,
 * followed in the same job by `actions/upload-artifact` of a path that contains the checkout's
 * `.git` (the workspace root, `.`, `**`, `${{ github.workspace }}`, the checkout's own `path:` or a
 * parent of it, or `.git` itself), in a version that uploads hidden files: `include-hidden-files:
 * true`, or a release before v3.2 / v4.4 (which excluded hidden files by default). A floating `@v4`
 * or `@v3` is today's release and is safe; a SHA without a version comment is reported at low
 * confidence. `actions/upload-pages-artifact` always excludes `.git` and is not reported.
 *
 * Key: `<job>:<checkout step>`, so one finding per leaking checkout.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument, WorkflowJob, WorkflowStep } from "../../domains/workflow.js";
import type { Confidence } from "../../../../core/types.js";
import { stepKey, stepLabel } from "../../workflow/step-label.js";
import { actionName } from "../../workflow/steps.js";
import { isVersionComment, parseUses } from "../../workflow/uses-ref.js";
import { trailingComment } from "../../workflow/uses-sites.js";

const SHA = "50769540e7f4bd5e21e526ee35c689e35e0d6874";

export const artipacked = defineAudit<WorkflowDocument>({
  id: "artipacked",
  domain: "workflow",
  title: "Checkout credentials uploaded in an artifact",
  description:
    "A checkout that keeps the job's token in `.git/config`, followed by an upload of the checkout directory with its hidden files, publishes the token to everyone who can download the artifact.",
  severity: "high",
  confidence: "high",
  remediation: "Set `persist-credentials: false` on `actions/checkout`, and upload only the build output directory (never the workspace root) without `include-hidden-files: true`.",
  link: "https://unit42.paloaltonetworks.com/github-repo-artifacts-leak-tokens/",
  samples: {
    valid: [
      {
        note: "credentials not persisted; hidden files included on purpose",
        text: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: make dist
      - uses: actions/upload-artifact@v4
        with:
          name: workspace
          path: .
          include-hidden-files: true
`,
      },
      {
        note: "current upload-artifact excludes hidden files; a build directory only; upload-pages-artifact excludes .git",
        text: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm run build
      - uses: actions/upload-artifact@v4
        with:
          name: site
          path: .
      - uses: actions/upload-artifact@v2
        with:
          name: dist
          path: dist/
      - uses: actions/upload-pages-artifact@v3
        with:
          path: .
  other:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/upload-artifact@v3.1.0
        with:
          path: .
`,
      },
    ],
    invalid: [
      {
        text: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make
      - uses: actions/upload-artifact@v4
        with:
          name: everything
          path: .
          include-hidden-files: true
`,
        lines: [6],
      },
      {
        note: "an old upload-artifact, pinned by SHA with its version; the checkout's own path uploaded",
        text: `on: pull_request
jobs:
  package:
    runs-on: ubuntu-latest
    steps:
      - name: Check out
        uses: actions/checkout@v3
        with:
          path: src
      - uses: actions/upload-artifact@${SHA} # v3.1.3
        with:
          name: sources
          path: |
            src
            !src/node_modules
`,
        lines: [7],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const job of doc.jobs) {
      const leak = leakingCheckouts(job, (step) => commentOfStep(doc, step));
      for (const { checkout, upload, confidence } of leak) {
        findings.push({
          line: checkout.usesLine ?? checkout.line,
          key: stepKey(checkout),
          confidence,
          message: `The ${stepLabel(checkout)} of job \`${job.id}\` leaves the job's token in \`.git/config\`, and ${stepLabel(upload)} uploads that directory with its hidden files: anyone who can download the artifact gets the token. Set \`persist-credentials: false\`.`,
        });
      }
    }
    return findings;
  },
});

function commentOfStep(doc: WorkflowDocument, step: WorkflowStep): string | undefined {
  if (step.uses === undefined || step.usesLine === undefined) return undefined;
  return trailingComment(doc, { uses: step.uses.trim(), line: step.usesLine, yamlPath: [...step.yamlPath, "uses"] });
}

interface Leak {
  readonly checkout: WorkflowStep;
  readonly upload: WorkflowStep;
  readonly confidence: Confidence;
}

function leakingCheckouts(job: WorkflowJob, commentOf: (step: WorkflowStep) => string | undefined): Leak[] {
  const leaks: Leak[] = [];
  const open: { step: WorkflowStep; dir: string }[] = [];
  for (const step of job.steps) {
    const action = actionName(step.uses);
    if (action === "actions/checkout") {
      if (persistsCredentials(step)) open.push({ step, dir: normalizeDir(step.with.get("path")?.value ?? ".") });
      continue;
    }
    if (action !== "actions/upload-artifact" || open.length === 0) continue;
    const hidden = uploadsHiddenFiles(step, commentOf(step));
    if (!hidden) continue;
    const paths = uploadPaths(step);
    for (let i = open.length - 1; i >= 0; i--) {
      const candidate = open[i]!;
      if (!paths.some((p) => covers(p, candidate.dir))) continue;
      leaks.push({ checkout: candidate.step, upload: step, confidence: hidden });
      open.splice(i, 1);
    }
  }
  return leaks;
}

/** `persist-credentials` defaults to true; an expression could be either, and is given the benefit of the doubt. */
function persistsCredentials(step: WorkflowStep): boolean {
  const value = step.with.get("persist-credentials")?.value.trim().toLowerCase();
  if (value === undefined) return true;
  if (value.includes("${{")) return false;
  return value !== "false";
}

/**
 * Whether the upload takes hidden files, and how sure that is. `include-hidden-files: true` is
 * certain; otherwise the version decides: v1, v2, v3 before 3.2 and v4 before 4.4 took them.
 */
function uploadsHiddenFiles(step: WorkflowStep, comment: string | undefined): Confidence | undefined {
  const include = step.with.get("include-hidden-files")?.value.trim().toLowerCase();
  if (include === "true") return "high";
  if (include !== undefined) return undefined;
  const ref = step.uses === undefined ? undefined : parseUses(step.uses);
  if (ref?.kind !== "repository" || ref.ref === undefined) return undefined;
  if (ref.pinnedToCommit) {
    if (!isVersionComment(comment)) return "low";
    const version = parseVersion(comment ?? "");
    return version && oldUploader(version) ? "high" : undefined;
  }
  const version = parseVersion(ref.ref);
  return version && oldUploader(version) ? "high" : undefined;
}

function parseVersion(text: string): number[] | undefined {
  const match = /v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!match) return undefined;
  // A major version alone (`v4`) floats to the latest release of that major.
  if (match[2] === undefined) return [Number(match[1]), Number.POSITIVE_INFINITY];
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function oldUploader([major = 0, minor = 0]: number[]): boolean {
  if (major <= 2) return true;
  if (major === 3) return minor < 2;
  if (major === 4) return minor < 4;
  return false;
}

function uploadPaths(step: WorkflowStep): string[] {
  const value = step.with.get("path")?.value ?? "";
  return value
    .split("\n")
    .map((p) => p.trim())
    .filter((p) => p !== "" && !p.startsWith("!"))
    .map(normalizeDir);
}

/** A path relative to the workspace, without `./`, trailing slashes or a trailing `/**`; the workspace itself is `.`. */
function normalizeDir(raw: string): string {
  let p = raw.trim().replace(/^["']|["']$/g, "");
  p = p.replace(/^\$\{\{\s*github\.workspace\s*\}\}/i, ".").replace(/^\$\{?GITHUB_WORKSPACE\}?/, ".");
  p = p.replace(/\\/g, "/");
  while (p.startsWith("./")) p = p.slice(2);
  p = p.replace(/(?:\/\*\*(?:\/\*)?|\/\*)$/, "").replace(/\/+$/, "");
  if (p === "" || p === "." || p === "**" || p === "*" || p === "**/*") return ".";
  return p;
}

/** The upload path contains the checkout's `.git`. */
function covers(uploadPath: string, checkoutDir: string): boolean {
  const git = checkoutDir === "." ? ".git" : `${checkoutDir}/.git`;
  if (uploadPath === ".") return true;
  return git === uploadPath || git.startsWith(`${uploadPath}/`) || uploadPath.startsWith(`${git}/`);
}
