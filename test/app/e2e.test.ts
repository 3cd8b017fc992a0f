/**
 * End to end: the real Probot server over HTTP, signed webhooks built from GitHub's example
 * payloads, and a fake GitHub that validates every request against GitHub's OpenAPI description and
 * enforces the rules GitHub enforces (diff-line anchors, 50 annotations, text limits).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../helpers/fake-github/harness.js";
import { addPullRequest, pushCommit, ensureRepo, type FileChange } from "../helpers/fake-github/scenario.js";
import { checkRunRerequestedPayload, checkSuiteRerequestedPayload, mergeGroupPayload, pullRequestPayload } from "../helpers/fake-github/webhooks.js";
import { stubSecretsCheck } from "../helpers/fake-github/test-checks.js";
import type { FakePull } from "../helpers/fake-github/state.js";

const AWS_KEY = "AKIAQWERTYUIOPASDFGH";
const AWS_KEY_2 = "AKIAZXCVBNMQWERTYUIO";

let h: Harness;
let nextInstallation = 100;

beforeAll(async () => {
  h = await startHarness({ checks: [stubSecretsCheck] });
});

afterAll(async () => {
  await h?.stop();
});

function lines(count: number, prefix = "line"): string {
  return Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`).join("\n") + "\n";
}

interface Opened {
  pull: FakePull;
  installationId: number;
  from: number;
}

async function openPullRequest(repo: string, changes: FileChange[], extra: { forkOwner?: string; config?: string } = {}): Promise<Opened> {
  const installationId = nextInstallation++;
  const r = ensureRepo(h.fake, "acme", repo);
  if (extra.config !== undefined) r.defaultBranchFiles.set(".github/pr-sentinel.yml", extra.config);
  const pull = addPullRequest(h.fake, { owner: "acme", repo, number: 7, changes, forkOwner: extra.forkOwner });
  const from = h.fake.requests.length;
  const delivery = await h.send(
    "pull_request",
    pullRequestPayload({
      action: "opened",
      owner: "acme",
      repo,
      installationId,
      number: pull.number,
      headSha: pull.headSha,
      baseSha: pull.baseSha,
      headRepoFullName: pull.headRepoFullName,
      changedFiles: changes.length,
    }),
  );
  expect(delivery.status).toBe(200);
  await h.app.idle();
  return { pull, installationId, from };
}

describe("pull_request.opened with a leaked secret", () => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openPullRequest("secrets", [
      { path: "src/config.ts", base: lines(20), head: lines(10) + `const key = "${AWS_KEY}";\n` + lines(10, "tail") },
      { path: "README.md", base: null, head: "# hello\n" },
    ]);
  });

  it("comments inline on the line of the secret and fails the check run", () => {
    const runs = h.fake.state.checkRunsFor(opened.pull.headSha);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.conclusion).toBe("failure");
    expect(runs[0]!.history[0]!.status).toBe("in_progress");
    const comments = h.fake.state.reviewCommentsOf("acme", "secrets", 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ path: "src/config.ts", line: 11, side: "RIGHT" });
    expect(comments[0]!.body).toContain("pr-sentinel:fp=");
    expect(comments[0]!.body).not.toContain(AWS_KEY);
    expect(runs[0]!.annotations).toHaveLength(1);
    expect(runs[0]!.annotations[0]).toMatchObject({ path: "src/config.ts", start_line: 11, annotation_level: "failure" });
  });

  it("posts one sticky summary comment", () => {
    const comments = h.fake.state.issueCommentsOf("acme", "secrets", 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("<!-- pr-sentinel:summary -->");
  });
});

describe("every request", () => {
  it("was accepted by the fake's OpenAPI validation and GitHub's rules", () => {
    expect(h.fake.rejections().map((r) => `${r.method} ${r.path}: ${r.problems.join(", ")}`)).toEqual([]);
  });
});
