/**
 * SARIF from the real CLI over real git repositories: the repository and commit the CLI knows end up
 * in `versionControlProvenance` (the origin's credentials never do), and the fingerprints code
 * scanning matches on stay the same when the finding moves to another line.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFixtureRepo, type FixtureRepo } from "../helpers/git-repo.js";
import { cli, sarifValidator, todoSecretCheck } from "../cli/cli-harness.js";

interface Log {
  runs: {
    versionControlProvenance?: unknown;
    automationDetails: { id: string };
    results: { partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[];
  }[];
}

let repo: FixtureRepo;
let base: string;

beforeEach(() => {
  repo = createFixtureRepo();
  base = repo.commitFiles("base", { "README.md": "# demo\n" });
});

afterEach(() => repo.cleanup());

async function sarif(argv: string[]) {
  const run = await cli(["scan", ...argv, "--format", "sarif"], { cwd: repo.dir, checks: [todoSecretCheck().check] });
  expect(run.code, run.stderr).toBe(1);
  const log = JSON.parse(run.stdout) as Log;
  const validate = sarifValidator();
  expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  return { run, log };
}

describe("pr-sentinel scan --format sarif: provenance", () => {
  it("names the origin without its credentials, and the head commit", async () => {
    repo.git("remote", "add", "origin", "https://ci-bot:ghp_s3cr3tT0kenValue@github.example/owner/repo.git");
    const head = repo.commitFiles("head", { "src/a.ts": "const t = 'TODO-SECRET';\n" });
    const { run, log } = await sarif(["--base", base, "--head", head]);
    expect(log.runs[0]!.versionControlProvenance).toEqual([
      { repositoryUri: "https://github.example/owner/repo", revisionId: head, mappedTo: { uriBaseId: "%SRCROOT%" } },
    ]);
    expect(log.runs[0]!.automationDetails).toEqual({ id: "pr-sentinel/" });
    for (const out of [run.stdout, run.stderr]) {
      expect(out).not.toContain("s3cr3t");
      expect(out).not.toContain("ci-bot");
    }
  });

  it("turns an ssh origin into the web address", async () => {
    repo.git("remote", "add", "origin", "git@github.example:owner/repo.git");
    const head = repo.commitFiles("head", { "src/a.ts": "const t = 'TODO-SECRET';\n" });
    const { log } = await sarif(["--base", base, "--head", head]);
    expect(log.runs[0]!.versionControlProvenance).toEqual([
      { repositoryUri: "https://github.example/owner/repo", revisionId: head, mappedTo: { uriBaseId: "%SRCROOT%" } },
    ]);
  });

  it("has no provenance without an origin, or with an origin that is a local path", async () => {
    const head = repo.commitFiles("head", { "src/a.ts": "const t = 'TODO-SECRET';\n" });
    expect((await sarif(["--base", base, "--head", head])).log.runs[0]!.versionControlProvenance).toBeUndefined();
    repo.git("remote", "add", "origin", "/srv/git/secret-project.git");
    const { run, log } = await sarif(["--base", base, "--head", head]);
    expect(log.runs[0]!.versionControlProvenance).toBeUndefined();
    expect(run.stdout).not.toContain("secret-project");
  });

  it("gives no commit for --staged: the index is not one", async () => {
    repo.git("remote", "add", "origin", "https://github.example/owner/repo");
    repo.write("staged.txt", "TODO-SECRET staged\n");
    repo.git("add", "staged.txt");
    const { log } = await sarif(["--staged"]);
    expect(log.runs[0]!.versionControlProvenance).toEqual([{ repositoryUri: "https://github.example/owner/repo", mappedTo: { uriBaseId: "%SRCROOT%" } }]);
  });
});

describe("pr-sentinel scan --format sarif: fingerprints", () => {
  it("keeps partialFingerprints when lines are added above the finding", async () => {
    const first = repo.commitFiles("first", { "src/a.ts": "export const x = 1;\nconst t = 'TODO-SECRET';\n" });
    repo.git("checkout", "-q", "-b", "other", base);
    const moved = repo.commitFiles("moved", { "src/a.ts": "// one\n// two\n// three\nexport const x = 1;\nconst t = 'TODO-SECRET';\n" });

    const a = (await sarif(["--base", base, "--head", first])).log.runs[0]!.results;
    const b = (await sarif(["--base", base, "--head", moved])).log.runs[0]!.results;
    expect(a).toHaveLength(1);
    expect(b).toHaveLength(1);
    expect(a[0]!.locations[0]!.physicalLocation.region.startLine).toBe(2);
    expect(b[0]!.locations[0]!.physicalLocation.region.startLine).toBe(5);
    expect(b[0]!.partialFingerprints).toEqual(a[0]!.partialFingerprints);
    expect(Object.keys(a[0]!.partialFingerprints).sort()).toEqual(["prSentinel/v1", "primaryLocationLineHash"]);
    expect(a[0]!.partialFingerprints.primaryLocationLineHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
