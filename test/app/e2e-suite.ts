/**
 * The end-to-end suite, run in both queue modes (e2e.test.ts in-process, e2e-queue-mode.test.ts on
 * a real Redis with BullMQ). End to end: the real Probot server over HTTP, signed webhooks built from GitHub's example
 * payloads, and a fake GitHub that validates every request against GitHub's OpenAPI description and
 * enforces the rules GitHub enforces (diff-line anchors, 50 annotations, text limits).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startHarness, type Harness, type HarnessOptions } from "../helpers/fake-github/harness.js";
import { addPullRequest, pushCommit, ensureRepo, type FileChange } from "../helpers/fake-github/scenario.js";
import { checkRunRerequestedPayload, checkSuiteRerequestedPayload, mergeGroupPayload, pullRequestPayload } from "../helpers/fake-github/webhooks.js";
import { once } from "node:events";
import MarkdownIt from "markdown-it";
import { checksUnderTest, fakeAwsKeyId, slowCheckEvents } from "../helpers/fake-github/test-checks.js";
import type { FakePull } from "../helpers/fake-github/state.js";

const AWS_KEY = fakeAwsKeyId("main");
const AWS_KEY_2 = fakeAwsKeyId("second");
const ALL_KEYS = /AKIA[A-Z2-7]{16}/;

const renderer = new MarkdownIt({ html: true });

/** The text GitHub would scan for @mentions: the rendered comment without its code spans and blocks. */
function mentionsOutsideCode(markdown: string): string {
  return renderer.render(markdown).replace(/<code>[\s\S]*?<\/code>/g, "");
}

export interface E2eMode {
  readonly name: string;
  /** Harness options of this mode (e.g. a Redis URL). */
  harness(): Promise<Partial<HarnessOptions>>;
  stop?(): Promise<void>;
}

export function e2eSuite(mode: E2eMode): void {
  let h: Harness;
  let nextInstallation = 100;

  beforeAll(async () => {
    h = await startHarness({ checks: checksUnderTest(), ...(await mode.harness()) });
  });

  afterAll(async () => {
    await h?.stop();
    await mode.stop?.();
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


  describe("a clean 10-file pull request", () => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await openPullRequest(
        "clean",
        Array.from({ length: 10 }, (_, i) => ({ path: `src/file-${i}.ts`, base: lines(30), head: lines(15) + "const ok = 1;\n" + lines(15, "tail") })),
      );
    });

    it("passes with no review and no comment, in at most 7 GitHub requests", () => {
      const runs = h.fake.state.checkRunsFor(opened.pull.headSha);
      expect(runs.map((r) => r.conclusion)).toEqual(["success"]);
      expect(runs[0]!.output.title).toBe("No problems found");
      expect(h.fake.state.reviewsOf("acme", "clean", 7)).toEqual([]);
      expect(h.fake.state.issueCommentsOf("acme", "clean", 7)).toEqual([]);
      const requests = h.fake.since(opened.from);
      expect(requests.some((r) => r.path.endsWith("/access_tokens"))).toBe(true);
      expect(requests.length).toBeLessThanOrEqual(7);
    });
  });

  describe("a 250-file pull request", () => {
    let opened: Opened;
    beforeAll(async () => {
      const changes: FileChange[] = Array.from({ length: 250 }, (_, i) => ({ path: `pkg/f${String(i).padStart(3, "0")}.txt`, base: null, head: `file ${i}\n` }));
      changes[245] = { path: "pkg/f245.txt", base: null, head: `aws = ${AWS_KEY}\n` };
      opened = await openPullRequest("big", changes);
    });

    it("reads the file list in 3 pages of 100 and scans files from the last page", () => {
      const pages = h.fake.since(opened.from).filter((r) => r.method === "GET" && r.path === "/repos/acme/big/pulls/7/files");
      expect(pages).toHaveLength(3);
      expect(pages.every((r) => r.query.get("per_page") === "100")).toBe(true);
      const [run] = h.fake.state.checkRunsFor(opened.pull.headSha);
      expect(run!.conclusion).toBe("failure");
      expect(h.fake.state.reviewCommentsOf("acme", "big", 7).map((c) => c.path)).toEqual(["pkg/f245.txt"]);
    });
  });

  describe("a pull request from a fork", () => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await openPullRequest(
        "forked",
        [
          // GitHub sent no patch: the app must read both sides itself, by SHA.
          { path: "app/settings.py", base: lines(5), head: lines(5) + `AWS = "${AWS_KEY}"\n`, omitPatch: true },
          { path: "app/main.py", base: lines(3), head: lines(3) + `KEY = "${AWS_KEY_2}"\n` },
        ],
        { forkOwner: "mallory" },
      );
    });

    it("reads contents by commit and blob SHA from the base repository, never by the fork's branch", () => {
      const reads = h.fake.since(opened.from).filter((r) => r.method === "GET" && (r.path.includes("/contents/app") || r.path.includes("/git/blobs/")));
      expect(reads.length).toBeGreaterThan(0);
      for (const r of reads) {
        expect(r.path.startsWith("/repos/acme/forked/")).toBe(true);
        if (r.path.includes("/contents/")) expect(r.query.get("ref")).toMatch(/^[0-9a-f]{40}$/);
      }
      expect(reads.some((r) => r.path.includes("/contents/") && r.query.get("ref") === opened.pull.baseSha)).toBe(true);
    });

    it("comments inline where the diff allows and lists the rest in the review body", () => {
      const [run] = h.fake.state.checkRunsFor(opened.pull.headSha);
      expect(run!.conclusion).toBe("failure");
      expect(run!.annotations).toHaveLength(2);
      expect(h.fake.state.reviewCommentsOf("acme", "forked", 7).map((c) => `${c.path}:${c.line}`)).toEqual(["app/main.py:4"]);
      const [review] = h.fake.state.reviewsOf("acme", "forked", 7);
      expect(review!.body).toContain("app/settings.py");
    });

    it("re-runs on check_suite.rerequested, finding the fork pull request by its head SHA", async () => {
      const from = h.fake.requests.length;
      const delivery = await h.send("check_suite", checkSuiteRerequestedPayload({ owner: "acme", repo: "forked", installationId: opened.installationId, headSha: opened.pull.headSha }));
      expect(delivery.status).toBe(200);
      await h.app.idle();
      const requests = h.fake.since(from);
      expect(requests.some((r) => r.path === "/repos/acme/forked/pulls" && r.query.get("state") === "open")).toBe(true);
      expect(h.fake.state.checkRunsFor(opened.pull.headSha).map((r) => r.conclusion)).toEqual(["failure", "failure"]);
      // Nothing new to say: no second review, no duplicate comment.
      expect(h.fake.state.reviewsOf("acme", "forked", 7)).toHaveLength(1);
      expect(h.fake.state.reviewCommentsOf("acme", "forked", 7)).toHaveLength(1);
    });
  });

  describe("an invalid config on the default branch", () => {
    let opened: Opened;
    beforeAll(async () => {
      opened = await openPullRequest("badconfig", [{ path: "a.txt", base: null, head: `${AWS_KEY}\n` }], {
        config: "fail_on: high\nreview:\n  max_inline_comments: lots\n",
      });
    });

    it("completes the check run with action_required quoting the key path, and posts nothing else", () => {
      const [run] = h.fake.state.checkRunsFor(opened.pull.headSha);
      expect(run!.conclusion).toBe("action_required");
      expect(run!.output.summary).toContain("review.max_inline_comments");
      expect(h.fake.state.reviewsOf("acme", "badconfig", 7)).toEqual([]);
      expect(h.fake.state.issueCommentsOf("acme", "badconfig", 7)).toEqual([]);
    });
  });

  describe("commenting and blocking are separate settings", () => {
    it("blocks without commenting (review.comments: false, summary_comment: never)", async () => {
      const opened = await openPullRequest("quiet", [{ path: "app.conf", base: null, head: `KEY=${AWS_KEY}\n` }], {
        config: "review:\n  comments: false\n  summary_comment: never\n",
      });
      expect(h.fake.state.checkRunsFor(opened.pull.headSha).map((r) => r.conclusion)).toEqual(["failure"]);
      expect(h.fake.state.reviewsOf("acme", "quiet", 7)).toEqual([]);
      expect(h.fake.state.issueCommentsOf("acme", "quiet", 7)).toEqual([]);
    });

    it("comments without blocking (fail_on: never) and posts the summary always when asked", async () => {
      const opened = await openPullRequest("advisory", [{ path: "app.conf", base: null, head: `KEY=${AWS_KEY}\n` }], {
        config: "fail_on: never\nreview:\n  summary_comment: always\n",
      });
      expect(h.fake.state.checkRunsFor(opened.pull.headSha).map((r) => r.conclusion)).toEqual(["success"]);
      expect(h.fake.state.reviewCommentsOf("acme", "advisory", 7)).toHaveLength(1);
      expect(h.fake.state.issueCommentsOf("acme", "advisory", 7)).toHaveLength(1);
    });

    it("posts the summary on a clean pull request only with summary_comment: always", async () => {
      const opened = await openPullRequest("always", [{ path: "a.txt", base: null, head: "fine\n" }], { config: "review:\n  summary_comment: always\n" });
      expect(h.fake.state.checkRunsFor(opened.pull.headSha).map((r) => r.conclusion)).toEqual(["success"]);
      expect(h.fake.state.reviewsOf("acme", "always", 7)).toEqual([]);
      expect(h.fake.state.issueCommentsOf("acme", "always", 7)).toHaveLength(1);
    });

    it("lists the first 20 of many config problems and counts the rest", async () => {
      const entries = Array.from({ length: 30 }, (_, i) => `  - fingerprint: nothex${i}\n    reason: r\n`).join("");
      const opened = await openPullRequest("manyproblems", [{ path: "a.txt", base: null, head: "x\n" }], { config: `allowlist:\n${entries}` });
      const [run] = h.fake.state.checkRunsFor(opened.pull.headSha);
      expect(run!.conclusion).toBe("action_required");
      expect(run!.output.summary).toContain("allowlist[19].fingerprint");
      expect(run!.output.summary).not.toContain("allowlist[20].fingerprint");
      expect(run!.output.summary).toContain("and 10 more problems");
    });

    it("reports unparsable YAML as action_required", async () => {
      const opened = await openPullRequest("badyaml", [{ path: "a.txt", base: null, head: "x\n" }], { config: "review: [unclosed\n" });
      const [run] = h.fake.state.checkRunsFor(opened.pull.headSha);
      expect(run!.conclusion).toBe("action_required");
      expect(run!.output.summary).toContain("pr-sentinel.yml");
      expect(run!.output.summary).toContain("invalid YAML");
    });
  });

  describe("config comes from the default branch, with organisation defaults", () => {
    it("ignores a config the pull request itself adds", async () => {
      const opened = await openPullRequest("sneaky", [
        { path: ".github/pr-sentinel.yml", base: null, head: "fail_on: never\nreview:\n  comments: false\n" },
        { path: "app.conf", base: null, head: `KEY=${AWS_KEY}\n` },
      ]);
      expect(h.fake.state.checkRunsFor(opened.pull.headSha).map((r) => r.conclusion)).toEqual(["failure"]);
      expect(h.fake.state.reviewCommentsOf("acme", "sneaky", 7)).toHaveLength(1);
    });

    it("uses the organisation's .github repository when the repository has no config, and follows _extends", async () => {
      const org = ensureRepo(h.fake, "initech", ".github");
      org.defaultBranchFiles.set(".github/pr-sentinel.yml", "fail_on: critical\nreview:\n  summary_comment: never\n");
      const change = [{ path: "app.conf", base: null, head: `KEY=${AWS_KEY}\n` }];
      const open = async (repo: string) => {
        const pull = addPullRequest(h.fake, { owner: "initech", repo, number: 1, changes: change });
        await h.send("pull_request", pullRequestPayload({ action: "opened", owner: "initech", repo, installationId: nextInstallation++, number: 1, headSha: pull.headSha, baseSha: pull.baseSha }));
        await h.app.idle();
        return pull;
      };
      // No config of its own: the organisation default (fail_on: critical) makes a high finding pass.
      const inherited = await open("inherits");
      expect(h.fake.state.checkRunsFor(inherited.headSha).map((r) => r.conclusion)).toEqual(["success"]);
      expect(h.fake.state.issueCommentsOf("initech", "inherits", 1)).toEqual([]);
      // Its own config extends the organisation's and overrides one key.
      ensureRepo(h.fake, "initech", "extends").defaultBranchFiles.set(".github/pr-sentinel.yml", "_extends: .github\nfail_on: high\n");
      const extended = await open("extends");
      expect(h.fake.state.checkRunsFor(extended.headSha).map((r) => r.conclusion)).toEqual(["failure"]);
      expect(h.fake.state.issueCommentsOf("initech", "extends", 1)).toEqual([]);
    });
  });

  describe("pushes to a pull request (synchronize)", () => {
    const K1 = fakeAwsKeyId("K1");
    const K2 = fakeAwsKeyId("K2");
    const K3 = fakeAwsKeyId("K3");
    const K4 = fakeAwsKeyId("K4");
    let opened: Opened;
    const file = (keys: string[]) => lines(5) + keys.map((k, i) => `key${i} = "${k}"\n`).join("") + lines(5, "end");
    const other = (key: string | undefined) => lines(4) + (key ? `token = "${key}"\n` : "") + "fine\n";

    async function push(changes: FileChange[]) {
      const headSha = pushCommit(h.fake, opened.pull, changes);
      const delivery = await h.send(
        "pull_request",
        pullRequestPayload({ action: "synchronize", owner: "acme", repo: "pushes", installationId: opened.installationId, number: 7, headSha, baseSha: opened.pull.baseSha }),
      );
      expect(delivery.status).toBe(200);
      await h.app.idle();
      return headSha;
    }

    beforeAll(async () => {
      opened = await openPullRequest("pushes", [
        { path: "conf/a.env", base: lines(10), head: file([K1, K2]) },
        { path: "conf/b.env", base: lines(4), head: other(K3) },
      ]);
    });

    it("comments each finding once, resolves fixed findings' threads but not one a person replied to", async () => {
      const first = h.fake.state.reviewCommentsOf("acme", "pushes", 7);
      expect(first).toHaveLength(3);
      const k3Comment = first.find((c) => c.path === "conf/b.env")!;
      h.fake.state.reply(k3Comment.id, "I will rotate it, @someone please check");

      // Second push: K1 stays, K2 and K3 are fixed, K4 is new.
      const headSha = await push([
        { path: "conf/a.env", base: lines(10), head: file([K1, K4]) },
        { path: "conf/b.env", base: lines(4), head: other(undefined) },
      ]);
      const comments = h.fake.state.reviewCommentsOf("acme", "pushes", 7).filter((c) => !c.in_reply_to_id);
      expect(comments).toHaveLength(4);
      expect(h.fake.state.reviewsOf("acme", "pushes", 7)).toHaveLength(2);
      const latest = h.fake.state.reviewsOf("acme", "pushes", 7)[1]!;
      expect(h.fake.state.reviewCommentsOf("acme", "pushes", 7).filter((c) => c.pull_request_review_id === latest.id)).toHaveLength(1);
      const resolved = h.fake.state.threads
        .filter((t) => t.pull === "acme/pushes#7" && t.isResolved)
        .map((t) => h.fake.state.reviewComments.find((c) => c.id === t.commentIds[0])!)
        .map((c) => `${c.path}:${c.line}`);
      // K2 (conf/a.env line 7) is gone and nobody replied: resolved. K1 stays open.
      expect(resolved).toEqual(["conf/a.env:7"]);
      expect(h.fake.state.threadOf(k3Comment.id)!.isResolved).toBe(false);
      expect(h.fake.state.checkRunsFor(headSha)[0]!.conclusion).toBe("failure");
      // The sticky comment is edited in place, never re-posted.
      const sticky = h.fake.state.issueCommentsOf("acme", "pushes", 7);
      expect(sticky).toHaveLength(1);
    });

    it("says once that a clean re-scan is clean", async () => {
      const clean: FileChange[] = [
        { path: "conf/a.env", base: lines(10), head: lines(11) },
        { path: "conf/b.env", base: lines(4), head: other(undefined) },
      ];
      const headSha = await push(clean);
      expect(h.fake.state.checkRunsFor(headSha)[0]!.conclusion).toBe("success");
      const [sticky] = h.fake.state.issueCommentsOf("acme", "pushes", 7);
      expect(sticky!.body).toContain("state=clean");
      const edits = sticky!.edits;
      await push([{ path: "conf/a.env", base: lines(10), head: lines(12) }]);
      expect(h.fake.state.issueCommentsOf("acme", "pushes", 7)[0]!.edits).toBe(edits);
      expect(h.fake.state.reviewsOf("acme", "pushes", 7)).toHaveLength(2);
    });
  });

  describe("check_run.rerequested", () => {
    it("re-scans the head SHA with a new check run and no duplicate comments", async () => {
      const opened = await openPullRequest("rerun", [{ path: "x.cfg", base: null, head: `k=${AWS_KEY}\n` }]);
      const from = h.fake.requests.length;
      const delivery = await h.send(
        "check_run",
        checkRunRerequestedPayload({
          owner: "acme",
          repo: "rerun",
          installationId: opened.installationId,
          headSha: opened.pull.headSha,
          pullRequests: [{ number: 7, headSha: opened.pull.headSha, baseSha: opened.pull.baseSha }],
        }),
      );
      expect(delivery.status).toBe(200);
      await h.app.idle();
      expect(h.fake.since(from).filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toHaveLength(1);
      expect(h.fake.state.checkRunsFor(opened.pull.headSha).map((r) => r.conclusion)).toEqual(["failure", "failure"]);
      expect(h.fake.state.reviewCommentsOf("acme", "rerun", 7)).toHaveLength(1);
    });
  });

  describe("check_suite.rerequested without pull requests in the payload", () => {
    it("finds a same-repository pull request through the commit's associated pulls", async () => {
      const opened = await openPullRequest("suite", [{ path: "x.cfg", base: null, head: "fine\n" }]);
      const from = h.fake.requests.length;
      await h.send("check_suite", checkSuiteRerequestedPayload({ owner: "acme", repo: "suite", installationId: opened.installationId, headSha: opened.pull.headSha }));
      await h.app.idle();
      const paths = h.fake.since(from).map((r) => `${r.method} ${r.path}`);
      expect(paths).toContain(`GET /repos/acme/suite/commits/${opened.pull.headSha}/pulls`);
      expect(paths).not.toContain("GET /repos/acme/suite/pulls");
      expect(h.fake.state.checkRunsFor(opened.pull.headSha).map((r) => r.conclusion)).toEqual(["success", "success"]);
    });
  });

  describe("merge_group.checks_requested", () => {
    it("reports the same check run on the merge group's head SHA, scanning base..head", async () => {
      ensureRepo(h.fake, "acme", "queue");
      const baseSha = "a".repeat(40);
      const headSha = "b".repeat(40);
      h.fake.state.compares.set(`acme/queue:${baseSha}...${headSha}`, [
        { filename: "q.txt", status: "added", sha: null, additions: 1, deletions: 0, changes: 1, patch: `@@ -0,0 +1,1 @@\n+${AWS_KEY}` },
      ]);
      const delivery = await h.send("merge_group", mergeGroupPayload({ owner: "acme", repo: "queue", installationId: nextInstallation++, headSha, baseSha }));
      expect(delivery.status).toBe(200);
      await h.app.idle();
      const runs = h.fake.state.checkRunsFor(headSha);
      expect(runs.map((r) => [r.name, r.conclusion])).toEqual([["PR Sentinel", "failure"]]);
      expect(runs[0]!.annotations).toEqual([expect.objectContaining({ path: "q.txt", start_line: 1 })]);
      // A merge group is no pull request: nothing to review or comment on.
      expect(h.fake.state.reviews.filter((r) => r.pull.startsWith("acme/queue"))).toEqual([]);
    });
  });

  describe("a newer push while a scan is running", () => {
    it("aborts the older scan, which posts nothing, and reports on the newer head", async () => {
      const opened = await openPullRequest("race", [{ path: "a.txt", base: null, head: "x\n" }]);
      const { pull, installationId } = opened;
      const event = (headSha: string) =>
        pullRequestPayload({ action: "synchronize", owner: "acme", repo: "race", installationId, number: 7, headSha, baseSha: pull.baseSha });
      const started = once(slowCheckEvents, "started");
      const oldSha = pushCommit(h.fake, pull, [{ path: "slow.txt", base: null, head: `${AWS_KEY}\n` }]);
      expect((await h.send("pull_request", event(oldSha))).status).toBe(200);
      await started;
      const newSha = pushCommit(h.fake, pull, [{ path: "a.txt", base: null, head: "y\n" }]);
      expect((await h.send("pull_request", event(newSha))).status).toBe(200);
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(oldSha).map((r) => r.conclusion)).toEqual(["cancelled"]);
      expect(h.fake.state.checkRunsFor(newSha).map((r) => r.conclusion)).toEqual(["success"]);
      expect(h.fake.state.reviewsOf("acme", "race", 7)).toEqual([]);
      expect(h.fake.state.issueCommentsOf("acme", "race", 7)).toEqual([]);
    });
  });

  describe("a re-run of an older commit while the current head is being scanned", () => {
    it("scans the older commit without cancelling the current head's scan", async () => {
      const installationId = nextInstallation++;
      const pull = addPullRequest(h.fake, { owner: "acme", repo: "rerun-old", number: 7, changes: [{ path: "a.txt", base: null, head: "x\n" }] });
      const oldSha = pull.headSha;
      const started = once(slowCheckEvents, "started");
      const currentSha = pushCommit(h.fake, pull, [{ path: "slow.txt", base: null, head: "y\n" }]);
      await h.send("pull_request", pullRequestPayload({ action: "synchronize", owner: "acme", repo: "rerun-old", installationId, number: 7, headSha: currentSha, baseSha: pull.baseSha }));
      await started;
      await h.send(
        "check_run",
        checkRunRerequestedPayload({ owner: "acme", repo: "rerun-old", installationId, headSha: oldSha, pullRequests: [{ number: 7, headSha: currentSha, baseSha: pull.baseSha }] }),
      );
      // The re-run has begun (its check run exists) while the current head's scan still waits.
      await vi.waitFor(() => expect(h.fake.state.checkRunsFor(oldSha)).toHaveLength(1));
      slowCheckEvents.emit("release");
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(oldSha).map((r) => r.conclusion)).toEqual(["success"]);
      expect(h.fake.state.checkRunsFor(currentSha).map((r) => r.conclusion)).toEqual(["success"]);
    });
  });

  describe("draft pull requests and redeliveries", () => {
    it("skips a draft without writing anything", async () => {
      const installationId = nextInstallation++;
      const pull = addPullRequest(h.fake, { owner: "acme", repo: "drafts", number: 7, draft: true, changes: [{ path: "a", base: null, head: `${AWS_KEY}\n` }] });
      const from = h.fake.requests.length;
      await h.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo: "drafts", installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha, draft: true }));
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(pull.headSha)).toEqual([]);
      expect(h.fake.since(from).filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"))).toEqual([]);
    });

    it("handles a redelivered webhook (same X-GitHub-Delivery) once", async () => {
      const installationId = nextInstallation++;
      const pull = addPullRequest(h.fake, { owner: "acme", repo: "redeliver", number: 7, changes: [{ path: "a", base: null, head: "ok\n" }] });
      const payload = pullRequestPayload({ action: "opened", owner: "acme", repo: "redeliver", installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha });
      await h.send("pull_request", payload, "delivery-1");
      await h.send("pull_request", payload, "delivery-1");
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(pull.headSha)).toHaveLength(1);
    });
  });

  describe("pull_request.edited", () => {
    it("re-scans when the base branch changed, and ignores a title edit", async () => {
      const installationId = nextInstallation++;
      const pull = addPullRequest(h.fake, { owner: "acme", repo: "retarget", number: 7, changes: [{ path: "app.conf", base: null, head: `KEY=${AWS_KEY}\n` }] });
      const edited = (changes: Record<string, unknown>) =>
        pullRequestPayload({ action: "edited", changes, owner: "acme", repo: "retarget", installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha });
      await h.send("pull_request", edited({ title: { from: "old title" } }));
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(pull.headSha)).toEqual([]);
      await h.send("pull_request", edited({ base: { ref: { from: "develop" }, sha: { from: "0".repeat(40) } } }));
      await h.app.idle();
      const runs = h.fake.state.checkRunsFor(pull.headSha);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.conclusion).toBe("failure");
      expect(h.fake.state.reviewCommentsOf("acme", "retarget", 7)).toHaveLength(1);
    });
  });

  describe("another bot's comment carrying our summary marker", () => {
    it("is neither edited nor taken for ours: the app posts its own summary", async () => {
      const installationId = nextInstallation++;
      const pull = addPullRequest(h.fake, { owner: "acme", repo: "forged", number: 7, changes: [{ path: "app.conf", base: null, head: `KEY=${AWS_KEY}\n` }] });
      const forged = { id: h.fake.state.id(), issue: "acme/forged#7", body: "<!-- pr-sentinel:summary -->\nall clear", user: { login: "github-actions[bot]", id: 41898282, type: "Bot" }, edits: 0 };
      h.fake.state.issueComments.push(forged);
      await h.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo: "forged", installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha }));
      await h.app.idle();
      const comments = h.fake.state.issueCommentsOf("acme", "forged", 7);
      expect(comments).toHaveLength(2);
      expect(comments[0]).toMatchObject({ body: forged.body, edits: 0 });
      expect(comments[1]!.user.login).toBe("pr-sentinel[bot]");
    });
  });

  describe("an opened event delivered again under a new id", () => {
    it("gets one check run, one review and one summary comment: the head already has its verdict", async () => {
      const installationId = nextInstallation++;
      const pull = addPullRequest(h.fake, { owner: "acme", repo: "again", number: 7, changes: [{ path: "app.conf", base: null, head: `KEY=${AWS_KEY}\n` }] });
      const payload = pullRequestPayload({ action: "opened", owner: "acme", repo: "again", installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha });
      await h.send("pull_request", payload, "first-process");
      await h.app.idle();
      await h.send("pull_request", payload, "second-process");
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(pull.headSha)).toHaveLength(1);
      expect(h.fake.state.reviewsOf("acme", "again", 7)).toHaveLength(1);
      expect(h.fake.state.reviewCommentsOf("acme", "again", 7)).toHaveLength(1);
      expect(h.fake.state.issueCommentsOf("acme", "again", 7)).toHaveLength(1);
    });
  });

  describe("a scan that crashes", () => {
    it("still completes its check run, neutral, with the error", async () => {
      // The webhook names a pull request the fake GitHub does not have: listing its files fails.
      ensureRepo(h.fake, "acme", "crash");
      const headSha = "c".repeat(40);
      await h.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo: "crash", installationId: nextInstallation++, number: 99, headSha, baseSha: "d".repeat(40) }));
      await h.app.idle();
      const [run] = h.fake.state.checkRunsFor(headSha);
      expect(run!.conclusion).toBe("neutral");
      expect(run!.output.summary).toContain("Not Found");
    });
  });

  describe("many findings, hostile paths", () => {
    let opened: Opened;
    const keys = Array.from({ length: 120 }, (_, i) => fakeAwsKeyId(`flood-${i}`));
    beforeAll(async () => {
      opened = await openPullRequest("flood", [
        { path: "docs/@acme-team/keys.md", base: null, head: keys.map((k) => `- ${k}`).join("\n") + "\n" },
      ]);
    });

    it("sends every annotation in batches of at most 50", () => {
      const [run] = h.fake.state.checkRunsFor(opened.pull.headSha);
      expect(run!.conclusion).toBe("failure");
      expect(run!.annotations).toHaveLength(120);
      const patches = h.fake.since(opened.from).filter((r) => r.method === "PATCH" && r.path.includes("/check-runs/"));
      expect(patches).toHaveLength(3);
    });

    it("comments inline at most 25 times and lists the rest in the review body", () => {
      expect(h.fake.state.reviewCommentsOf("acme", "flood", 7)).toHaveLength(25);
      const [review] = h.fake.state.reviewsOf("acme", "flood", 7);
      expect(review!.body).toContain("95 more new findings");
    });

    it("never lets a path mention a team, and never echoes a secret", () => {
      const texts = [
        ...h.fake.state.reviewCommentsOf("acme", "flood", 7).map((c) => c.body),
        ...h.fake.state.reviewsOf("acme", "flood", 7).map((r) => r.body),
        ...h.fake.state.issueCommentsOf("acme", "flood", 7).map((c) => c.body),
        h.fake.state.checkRunsFor(opened.pull.headSha)[0]!.output.summary ?? "",
      ];
      for (const text of texts) {
        // GitHub makes no mention of text inside a code span; anywhere else it must be broken.
        expect(mentionsOutsideCode(text)).not.toMatch(/@acme-team/);
        expect(text).not.toMatch(ALL_KEYS);
      }
      // Annotations carry the real path (GitHub shows it as plain text), never the key.
      const annotations = h.fake.state.checkRunsFor(opened.pull.headSha)[0]!.annotations.map((a) => JSON.stringify(a));
      expect(annotations).toHaveLength(120);
      for (const text of annotations) expect(text).not.toMatch(ALL_KEYS);
    });
  });

  describe("a GitHub error after the verdict", () => {
    it("never replaces the verdict: a lost annotation batch leaves the failure in place", async () => {
      const keys = Array.from({ length: 60 }, (_, i) => fakeAwsKeyId(`outage-${i}`));
      const repo = "outage";
      ensureRepo(h.fake, "acme", repo);
      const pull = addPullRequest(h.fake, { owner: "acme", repo, number: 7, changes: [{ path: "k.txt", base: null, head: keys.join("\n") + "\n" }] });
      let patches = 0;
      // 422: an answer no retry changes (a 502 would be retried, and the batch would arrive).
      h.fake.failNext((r) => r.method === "PATCH" && r.path.startsWith(`/repos/acme/${repo}/check-runs/`) && ++patches === 2, 422);
      await h.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo, installationId: nextInstallation++, number: 7, headSha: pull.headSha, baseSha: pull.baseSha }));
      await h.app.idle();
      const [run] = h.fake.state.checkRunsFor(pull.headSha);
      expect(run!.conclusion).toBe("failure");
      expect(run!.annotations).toHaveLength(50);
      expect(h.logs.some((l) => l.includes('"droppedAnnotations":10'))).toBe(true);
    });
  });

  describe("config reads across scans", () => {
    it("revalidates the config with its ETag (304 while unchanged) and applies a changed config at once", async () => {
      const repo = "config-cache";
      const installationId = nextInstallation++;
      const r = ensureRepo(h.fake, "acme", repo);
      r.defaultBranchFiles.set(".github/pr-sentinel.yml", "fail_on: high\n");
      const scan = async (number: number, action: "opened" | "reopened" = "opened") => {
        const pull = addPullRequest(h.fake, { owner: "acme", repo, number, changes: [{ path: `k${number}.txt`, base: null, head: `${AWS_KEY}\n` }] });
        await h.send("pull_request", pullRequestPayload({ action, owner: "acme", repo, installationId, number, headSha: pull.headSha, baseSha: pull.baseSha }));
        await h.app.idle();
        return h.fake.state.checkRunsFor(pull.headSha)[0]!;
      };
      const configReads = () => h.fake.requests.filter((q) => decodeURIComponent(q.path) === `/repos/acme/${repo}/contents/.github/pr-sentinel.yml`).map((q) => q.status);
      expect((await scan(1)).conclusion).toBe("failure");
      expect((await scan(2)).conclusion).toBe("failure");
      expect(configReads()).toEqual([200, 304]);
      r.defaultBranchFiles.set(".github/pr-sentinel.yml", "fail_on: never\n");
      expect((await scan(3)).conclusion).toBe("success");
      expect(configReads()).toEqual([200, 304, 200]);
    });
  });

  describe("transient GitHub errors", () => {
    it("retries a secondary rate limit on the config read instead of calling the config invalid", async () => {
      const repo = "ratelimited-config";
      ensureRepo(h.fake, "acme", repo).defaultBranchFiles.set(".github/pr-sentinel.yml", "review:\n  comments: true\n");
      const pull = addPullRequest(h.fake, { owner: "acme", repo, number: 7, changes: [{ path: "k.txt", base: null, head: `${AWS_KEY}\n` }] });
      h.fake.rateLimitNext((r) => r.method === "GET" && decodeURIComponent(r.path) === `/repos/acme/${repo}/contents/.github/pr-sentinel.yml`, 1);
      await h.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo, installationId: nextInstallation++, number: 7, headSha: pull.headSha, baseSha: pull.baseSha }));
      await h.app.idle();
      const runs = h.fake.state.checkRunsFor(pull.headSha);
      expect(runs.map((r) => r.conclusion)).toEqual(["failure"]);
      const reads = h.fake.requests.filter((r) => decodeURIComponent(r.path) === `/repos/acme/${repo}/contents/.github/pr-sentinel.yml`);
      expect(reads.map((r) => r.status)).toEqual([403, 200]);
    });

    it("retries a 403 secondary rate limit on creating the check run: one check run, the verdict", async () => {
      const repo = "ratelimited-create";
      ensureRepo(h.fake, "acme", repo);
      const pull = addPullRequest(h.fake, { owner: "acme", repo, number: 7, changes: [{ path: "k.txt", base: null, head: `${AWS_KEY}\n` }] });
      h.fake.rateLimitNext((r) => r.method === "POST" && r.path === `/repos/acme/${repo}/check-runs`, 1);
      await h.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo, installationId: nextInstallation++, number: 7, headSha: pull.headSha, baseSha: pull.baseSha }));
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(pull.headSha).map((r) => r.conclusion)).toEqual(["failure"]);
      expect(h.fake.state.reviewsOf("acme", repo, 7)).toHaveLength(1);
    });

    it("after every attempt failed, completes the check run neutral with the reason; the next delivery scans that head again under the same run", async () => {
      const repo = "outage-files";
      ensureRepo(h.fake, "acme", repo);
      const pull = addPullRequest(h.fake, { owner: "acme", repo, number: 7, changes: [{ path: "k.txt", base: null, head: `${AWS_KEY}\n` }] });
      const listing = (r: { method: string; path: string }) => r.method === "GET" && r.path === `/repos/acme/${repo}/pulls/7/files`;
      for (let i = 0; i < 40; i++) h.fake.failNext(listing, 502);
      const installationId = nextInstallation++;
      const payload = pullRequestPayload({ action: "opened", owner: "acme", repo, installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha });
      await h.send("pull_request", payload);
      await h.app.idle();
      const [failed] = h.fake.state.checkRunsFor(pull.headSha);
      expect(failed!.conclusion).toBe("neutral");
      expect(failed!.output.title).toBe("PR Sentinel could not reach GitHub");
      expect(failed!.output.summary).toContain("502");
      // GitHub is back; the next delivery for that head (here: reopened) gets the real verdict.
      h.fake.clearFaults();
      await h.send("pull_request", pullRequestPayload({ action: "reopened", owner: "acme", repo, installationId, number: 7, headSha: pull.headSha, baseSha: pull.baseSha }));
      await h.app.idle();
      const runs = h.fake.state.checkRunsFor(pull.headSha);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.conclusion).toBe("failure");
      expect(h.fake.state.reviewsOf("acme", repo, 7)).toHaveLength(1);
    });
  });

  describe("events out of order", () => {
    it("an older head's event, redelivered after the newer head's verdict, writes nothing and leaves the newer verdict", async () => {
      const repo = "reordered";
      const opened = await openPullRequest(repo, [{ path: "a.txt", base: null, head: "fine\n" }]);
      const { pull, installationId } = opened;
      const oldSha = pull.headSha;
      const oldPayload = pullRequestPayload({ action: "synchronize", owner: "acme", repo, installationId, number: 7, headSha: oldSha, baseSha: pull.baseSha });
      const newSha = pushCommit(h.fake, pull, [{ path: "b.txt", base: null, head: `${AWS_KEY}\n` }]);
      await h.send("pull_request", pullRequestPayload({ action: "synchronize", owner: "acme", repo, installationId, number: 7, headSha: newSha, baseSha: pull.baseSha }));
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(newSha).map((r) => r.conclusion)).toEqual(["failure"]);
      const from = h.fake.requests.length;
      await h.send("pull_request", oldPayload, "redelivered-older");
      await h.app.idle();
      expect(h.fake.since(from).filter((r) => r.method !== "GET")).toEqual([]);
      expect(h.fake.state.checkRunsFor(newSha).map((r) => r.conclusion)).toEqual(["failure"]);
      expect(h.fake.state.checkRunsFor(oldSha).map((r) => r.conclusion)).toEqual(["success"]);
    });

    it("a head superseded before its scan starts costs no GitHub write", async () => {
      const repo = "superseded-early";
      const installationId = nextInstallation++;
      ensureRepo(h.fake, "acme", repo);
      const pull = addPullRequest(h.fake, { owner: "acme", repo, number: 7, changes: [{ path: "a.txt", base: null, head: "one\n" }] });
      const first = pull.headSha;
      const second = pushCommit(h.fake, pull, [{ path: "a.txt", base: "one\n", head: "two\n" }]);
      // Both events are accepted before either job starts: the older one finds its head superseded.
      const older = pullRequestPayload({ action: "synchronize", owner: "acme", repo, installationId, number: 7, headSha: first, baseSha: pull.baseSha });
      const newer = pullRequestPayload({ action: "synchronize", owner: "acme", repo, installationId, number: 7, headSha: second, baseSha: pull.baseSha });
      await Promise.all([h.send("pull_request", newer), h.send("pull_request", older)]);
      await h.app.idle();
      expect(h.fake.state.checkRunsFor(first)).toEqual([]);
      expect(h.fake.state.checkRunsFor(second).map((r) => r.conclusion)).toEqual(["success"]);
    });
  });

  describe("operations", () => {
    it("serves /healthz and Prometheus /metrics", async () => {
      const health = await fetch(`${h.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", queue: mode.name });
      const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/pr_sentinel_webhooks_received_total\{event="pull_request"\} \d+/);
      expect(metrics).toMatch(/pr_sentinel_scans_total\{outcome="failure"\} \d+/);
      expect(metrics).toMatch(/pr_sentinel_github_requests_total\{method="POST",status="201"\} \d+/);
      expect(metrics).toMatch(/pr_sentinel_github_rate_limit_remaining\{installation="\d+"\} \d+/);
      expect(metrics).toContain("pr_sentinel_scan_duration_seconds_bucket");
      expect(metrics).toMatch(/pr_sentinel_findings_total\{check="secrets",severity="high"\} \d+/);
    });

    it("logs installation events and refuses webhooks with a wrong signature", async () => {
      const { createRequire } = await import("node:module");
      const examples = createRequire(import.meta.url)("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, unknown>[] }[];
      const created = structuredClone(examples.find((g) => g.name === "installation")!.examples.find((e) => e.action === "created")!);
      expect((await h.send("installation", created)).status).toBe(200);
      expect(h.logs.some((l) => l.includes('"msg":"installation event"'))).toBe(true);
      const forged = await fetch(`${h.baseUrl}/api/github/webhooks`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "pull_request", "x-github-delivery": "forged", "x-hub-signature-256": `sha256=${"0".repeat(64)}` },
        body: JSON.stringify(created),
      });
      // @octokit/webhooks answers 400 "signature does not match" and no handler runs.
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain("signature does not match");
    });

    it("logs delivery, repository, pull request and SHA, and never a secret or the private key", () => {
      const all = h.logs.join("");
      expect(all).not.toMatch(ALL_KEYS);
      expect(all).not.toContain("PRIVATE KEY");
      const done = h.logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "check run completed");
      expect(done).toMatchObject({ delivery: expect.any(String), repo: expect.any(String), pr: expect.any(Number), sha: expect.any(String) });
    });
  });

  describe("every request", () => {
    it("was accepted by the fake's OpenAPI validation and GitHub's rules", () => {
      expect(h.fake.rejections().map((r) => `${r.method} ${r.path}: ${r.problems.join(", ")}`)).toEqual([]);
    });
  });
}
