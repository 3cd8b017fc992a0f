/**
 * The dependencies check in the GitHub App, end to end: the real Probot server, the fake GitHub
 * (requests validated against GitHub's OpenAPI description), and loopback fakes of OSV and the npm
 * registry wired through the same `createServices` the app uses in production.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinChecks } from "../../src/checks/index.js";
import { startHarness, type Harness } from "../helpers/fake-github/harness.js";
import { addPullRequest, ensureRepo, type FileChange } from "../helpers/fake-github/scenario.js";
import { pullRequestPayload } from "../helpers/fake-github/webhooks.js";
import { lineOf, packageJson, packageLock, startDependencyFakes, type DependencyFakes } from "../checks/dependencies/harness.js";

let h: Harness;
let fakes: DependencyFakes;
let nextInstallation = 500;

beforeAll(async () => {
  fakes = await startDependencyFakes();
  h = await startHarness({ checks: builtinChecks, osvApiUrl: fakes.osv.url, npmRegistryUrl: fakes.npm.url });
});

afterAll(async () => {
  await h?.stop();
  await fakes?.close();
});

async function openPullRequest(repo: string, changes: FileChange[]) {
  const installationId = nextInstallation++;
  ensureRepo(h.fake, "acme", repo);
  const pull = addPullRequest(h.fake, { owner: "acme", repo, number: 3, changes });
  const delivery = await h.send(
    "pull_request",
    pullRequestPayload({ action: "opened", owner: "acme", repo, installationId, number: pull.number, headSha: pull.headSha, baseSha: pull.baseSha, headRepoFullName: pull.headRepoFullName, changedFiles: changes.length }),
  );
  expect(delivery.status).toBe(200);
  await h.app.idle();
  return pull;
}

const baseManifest = packageJson({ ms: "^2.1.3" });
const baseLock = packageLock({ ms: "^2.1.3" }, [{ name: "ms", version: "2.1.3" }]);

describe("a pull request adding lodash@4.17.15", () => {
  const headManifest = packageJson({ lodash: "^4.17.15", ms: "^2.1.3" });
  const headLock = packageLock({ lodash: "^4.17.15", ms: "^2.1.3" }, [{ name: "lodash", version: "4.17.15" }, { name: "ms", version: "2.1.3" }]);
  let headSha: string;

  beforeAll(async () => {
    const pull = await openPullRequest("deps", [
      { path: "package.json", base: baseManifest, head: headManifest },
      { path: "package-lock.json", base: baseLock, head: headLock },
    ]);
    headSha = pull.headSha;
  });

  it("fails the check run and comments on the package.json and lockfile lines, with a one-click fix on the manifest", () => {
    const runs = h.fake.state.checkRunsFor(headSha);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.conclusion).toBe("failure");
    const comments = h.fake.state.reviewCommentsOf("acme", "deps", 3);
    const byPath = new Map(comments.map((c) => [c.path, c]));
    expect(byPath.get("package.json")).toMatchObject({ line: lineOf(headManifest, '"lodash"') });
    expect(byPath.get("package-lock.json")).toMatchObject({ line: lineOf(headLock, '"node_modules/lodash"') });
    const manifestComment = byPath.get("package.json")!.body;
    expect(manifestComment).toContain("dependencies/vulnerable-dependency");
    expect(manifestComment).toContain("```suggestion\n    \"lodash\": \"^4.17.21\",\n```");
    expect(byPath.get("package-lock.json")!.body).not.toContain("```suggestion");
  });
});

describe("a lockfile over the old 2 MiB limit of the app", () => {
  it("is read and judged: the app and the CLI share one whole-file cap", async () => {
    const filler = Array.from({ length: 12000 }, (_, i) => ({ name: `filler-${i}`, version: "1.0.0" }));
    const base = packageLock({}, filler);
    const head = packageLock({ "evil-helper": "1.0.0" }, [...filler, { name: "evil-helper", version: "1.0.0" }]);
    expect(Buffer.byteLength(head)).toBeGreaterThan(2 * 1024 * 1024);
    // GitHub sends no patch for a diff this large: the app rebuilds the added lines from whole files.
    const pull = await openPullRequest("big-lock", [{ path: "package-lock.json", base, head, omitPatch: true }]);
    const run = h.fake.state.checkRunsFor(pull.headSha)[0]!;
    expect(run.conclusion).toBe("failure");
    expect(JSON.stringify(run.output)).toContain("malicious-package");
  });
});
