import { afterEach, describe, expect, it } from "vitest";
import { originWebUri, repositoryWebUri } from "../../../src/sources/git/remote-url.js";
import { createFixtureRepo, GIT_TEST_ENV, type FixtureRepo } from "../../helpers/git-repo.js";

describe("repositoryWebUri", () => {
  it.each([
    ["https://github.com/owner/repo.git", "https://github.com/owner/repo"],
    ["https://github.com/owner/repo", "https://github.com/owner/repo"],
    ["https://github.com/owner/repo.git/", "https://github.com/owner/repo"],
    ["https://user:ghp_token@github.com/owner/repo.git", "https://github.com/owner/repo"],
    ["https://x-access-token:ghs_abc@GitHub.COM/owner/repo", "https://github.com/owner/repo"],
    ["https://oauth2:glpat-xyz@gitlab.example:8443/group/sub/repo.git?private_token=glpat-xyz#frag", "https://gitlab.example:8443/group/sub/repo"],
    ["https://org@dev.azure.com/org/project/_git/repo", "https://dev.azure.com/org/project/_git/repo"],
    ["https://github.com:443/owner/repo", "https://github.com/owner/repo"],
    ["http://ghes.internal/owner/repo.git", "http://ghes.internal/owner/repo"],
    ["git@github.com:owner/repo.git", "https://github.com/owner/repo"],
    ["ghp_token@github.com:owner/repo.git", "https://github.com/owner/repo"],
    ["github.com:owner/repo", "https://github.com/owner/repo"],
    ["git@ghes.internal:/srv/owner/repo.git", "https://ghes.internal/srv/owner/repo"],
    ["ssh://git@github.com/owner/repo.git", "https://github.com/owner/repo"],
    ["ssh://git:pw@ssh.github.com:443/owner/repo.git", "https://ssh.github.com/owner/repo"],
    ["git+ssh://git@github.com/owner/repo", "https://github.com/owner/repo"],
    ["git://github.com/owner/repo.git", "https://github.com/owner/repo"],
    ["  https://github.com/owner/repo.git\n", "https://github.com/owner/repo"],
  ])("%s → %s", (remote, expected) => {
    expect(repositoryWebUri(remote)).toBe(expected);
  });

  it.each([
    ["a local path", "/srv/git/repo.git"],
    ["a relative path", "../repo"],
    ["a relative path with a colon after a slash", "./a:b"],
    ["a Windows path", "C:\\repos\\project"],
    ["a Windows path with slashes", "C:/repos/project"],
    ["a file URL", "file:///srv/git/repo.git"],
    ["a remote helper", "ext::sh -c touch% /tmp/pwned"],
    ["a transport prefix", "persistent-https::https://github.com/owner/repo"],
    ["an ftp URL", "ftp://host/owner/repo"],
    ["no path", "https://github.com"],
    ["only a slash", "https://github.com/"],
    ["only .git", "https://github.com/.git"],
    ["an empty string", ""],
    ["whitespace inside", "https://github.com/owner/my repo"],
    ["a newline inside", "https://github.com/owner/repo\nhttps://evil.example/x"],
    ["a terminal escape", "https://github.com/owner/\u001b[31mrepo"],
    ["two @ in an scp-like address", "a@b@github.com:owner/repo"],
    ["a colon in an scp-like user", "u:p@github.com:owner/repo"],
    ["an over-long URL", `https://github.com/${"a".repeat(3000)}`],
  ])("gives nothing for %s", (_name, remote) => {
    expect(repositoryWebUri(remote)).toBeUndefined();
  });

  it("never returns user info, a query or a fragment", () => {
    const remotes = [
      "https://u:p@h.example/o/r",
      "https://p@h.example/o/r?token=p",
      "p@h.example:o/r.git",
      "ssh://u:p@h.example:2222/o/r",
      "https://h.example/o/r#p",
    ];
    for (const remote of remotes) {
      const uri = repositoryWebUri(remote);
      expect(uri).toBe("https://h.example/o/r");
    }
  });
});

describe("originWebUri", () => {
  let repo: FixtureRepo | undefined;
  afterEach(() => repo?.cleanup());

  it("reads the origin remote and strips its credentials", async () => {
    repo = createFixtureRepo();
    repo.git("remote", "add", "origin", "https://bot:ghp_s3cr3t@github.example/owner/repo.git");
    expect(await originWebUri({ cwd: repo.dir, env: GIT_TEST_ENV })).toBe("https://github.example/owner/repo");
  });

  it("applies url.*.insteadOf as git does", async () => {
    repo = createFixtureRepo();
    repo.git("config", "url.https://mirror.example/.insteadOf", "https://github.com/");
    repo.git("remote", "add", "origin", "https://github.com/owner/repo.git");
    expect(await originWebUri({ cwd: repo.dir, env: GIT_TEST_ENV })).toBe("https://mirror.example/owner/repo");
  });

  it("gives undefined without an origin, and outside a repository", async () => {
    repo = createFixtureRepo();
    repo.git("remote", "add", "upstream", "https://github.example/owner/repo.git");
    expect(await originWebUri({ cwd: repo.dir, env: GIT_TEST_ENV })).toBeUndefined();
    expect(await originWebUri({ cwd: "/", env: { ...GIT_TEST_ENV, GIT_CEILING_DIRECTORIES: "/" } })).toBeUndefined();
  });
});
