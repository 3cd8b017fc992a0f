/**
 * The policy check in the GitHub App, end to end: inline comments on the lines of a pull request
 * that adds an unsafe workflow, a private key and a Dockerfile, and a one-click pin for a
 * tag-pinned action, resolved through the (fake) GitHub API.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinChecks } from "../../src/checks/index.js";
import { startHarness, type Harness } from "../helpers/fake-github/harness.js";
import { addPullRequest, ensureRepo } from "../helpers/fake-github/scenario.js";
import { pullRequestPayload } from "../helpers/fake-github/webhooks.js";

const ACTION_SHA = "3f1a9c0b7e2d4f6a8b0c1d2e3f4a5b6c7d8e9f01";
const WORKFLOW = `name: pr
on:
  pull_request_target:
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.head.sha }}
      - uses: some-org/setup-thing@v2
      - run: echo "Thanks for \${{ github.event.pull_request.title }}"
`;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ checks: builtinChecks });
});
afterAll(async () => {
  await h?.stop();
});

describe("a pull request adding an unsafe workflow, a private key and a Dockerfile", () => {
  let comments: { path: string; line: number; body: string }[];
  let conclusion: string | null | undefined;

  beforeAll(async () => {
    const action = ensureRepo(h.fake, "some-org", "setup-thing");
    action.tags.set("v2", ACTION_SHA);
    action.tags.set("v2.1.0", ACTION_SHA);
    action.tags.set("v1.9.0", "0".repeat(40));
    ensureRepo(h.fake, "acme", "policy");
    const { privateKey } = generateKeyPairSync("ed25519", { privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const pull = addPullRequest(h.fake, {
      owner: "acme",
      repo: "policy",
      number: 9,
      changes: [
        { path: ".github/workflows/pr.yml", base: null, head: WORKFLOW },
        { path: "deploy/id_rsa", base: null, head: privateKey },
        { path: "Dockerfile", base: null, head: "FROM node:latest\nRUN curl -fsSL https://get.example.com/i.sh | bash\nCMD [\"node\", \"x.js\"]\n" },
      ],
    });
    const delivery = await h.send(
      "pull_request",
      pullRequestPayload({ action: "opened", owner: "acme", repo: "policy", installationId: 900, number: 9, headSha: pull.headSha, baseSha: pull.baseSha, headRepoFullName: pull.headRepoFullName, changedFiles: 3 }),
    );
    expect(delivery.status).toBe(200);
    await h.app.idle();
    comments = h.fake.state.reviewCommentsOf("acme", "policy", 9);
    conclusion = h.fake.state.checkRunsFor(pull.headSha)[0]?.conclusion;
  });

  it("fails the check run and comments on each problem's line", () => {
    expect(conclusion).toBe("failure");
    const at = (path: string, line: number, rule: string) => comments.some((c) => c.path === path && c.line === line && c.body.includes(`policy/${rule}`));
    // A finding that spans the checkout step (uses: to ref:) is commented on its last line.
    expect(at(".github/workflows/pr.yml", 10, "untrusted-checkout")).toBe(true);
    expect(at(".github/workflows/pr.yml", 11, "unpinned-uses")).toBe(true);
    expect(at(".github/workflows/pr.yml", 12, "template-injection")).toBe(true);
    expect(at("Dockerfile", 1, "latest-tag")).toBe(true);
    expect(at("Dockerfile", 2, "curl-pipe-shell")).toBe(true);
    expect(at("deploy/id_rsa", 1, "private-key-file")).toBe(true);
  });

  it("offers the pin of the tag-pinned action as a one-click suggestion with its version", () => {
    const pin = comments.find((c) => c.path === ".github/workflows/pr.yml" && c.line === 11 && c.body.includes("policy/unpinned-uses"))!;
    expect(pin.body).toContain(`\`\`\`suggestion\n      - uses: some-org/setup-thing@${ACTION_SHA} # v2.1.0\n\`\`\``);
  });
});
