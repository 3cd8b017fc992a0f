/**
 * What the app posts, kept as golden files: each comment kind (a secret, a vulnerable dependency
 * with a one-click fix, a malicious package, a workflow audit with a pin suggestion, a Dockerfile
 * audit, a clean run, a check that could not run, 120 findings over the inline cap) is produced end
 * to end (the real server, the real checks, the fake GitHub and loopback OSV and registry fakes),
 * written to `test/fixtures/comments/<kind>.md` and rendered to `<kind>.html` with markdown-it, and
 * shown in docs/review-examples.md. `UPDATE_GOLDEN=1` rewrites them after an intended change.
 *
 * The rendering is checked too: the product's own links render as links to https pages, and
 * nothing from the pull request (paths, package names, file contents) renders as a link, an
 * image, HTML or a mention.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinChecks } from "../../src/checks/index.js";
import { LODASH_ADVISORIES, MALWARE_RECORD, packageJson, packageLock, startDependencyFakes, type DependencyFakes } from "../checks/dependencies/harness.js";
import { startHarness, type Harness } from "../helpers/fake-github/harness.js";
import { addPullRequest, ensureRepo, type FileChange } from "../helpers/fake-github/scenario.js";
import { fakeAwsKeyId } from "../helpers/fake-github/test-checks.js";
import { pullRequestPayload } from "../helpers/fake-github/webhooks.js";
import { expectGeneratedSection } from "../helpers/generated-section.js";

const ACTION_SHA = "3f1c7e2b9a8d6c5b4a3f2e1d0c9b8a7f6e5d4c3b";
// GitHub autolinks `https://…` and `www.…`, not bare domains: the same here.
const md = new MarkdownIt({ html: true, linkify: true });
md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
let h: Harness;
let broken: Harness;
let fakes: DependencyFakes;
let installation = 7_000;

beforeAll(async () => {
  fakes = await startDependencyFakes([...LODASH_ADVISORIES, MALWARE_RECORD]);
  h = await startHarness({ checks: builtinChecks, osvApiUrl: fakes.osv.url, npmRegistryUrl: fakes.npm.url });
  // OSV unreachable (a closed port): the dependencies check cannot run.
  broken = await startHarness({ checks: builtinChecks, npmRegistryUrl: fakes.npm.url });
});

afterAll(async () => {
  await broken?.stop();
  await h?.stop();
  await fakes?.close();
});

interface Posted {
  readonly markdown: string;
}

/** Opens a pull request, waits for the scan, and gathers everything posted, in reading order. */
async function post(on: Harness, repo: string, changes: FileChange[], config?: string): Promise<Posted> {
  const r = ensureRepo(on.fake, "acme", repo);
  if (config) r.defaultBranchFiles.set(".github/pr-sentinel.yml", config);
  const pull = addPullRequest(on.fake, { owner: "acme", repo, number: 1, changes });
  await on.send("pull_request", pullRequestPayload({ action: "opened", owner: "acme", repo, installationId: installation++, number: 1, headSha: pull.headSha, baseSha: pull.baseSha }));
  await on.app.idle();
  const sections: string[] = [];
  const run = on.fake.state.checkRunsFor(pull.headSha)[0]!;
  for (const review of on.fake.state.reviewsOf("acme", repo, 1)) {
    sections.push(`<!-- review (${review.event}) -->`, review.body);
  }
  for (const c of on.fake.state.reviewCommentsOf("acme", repo, 1)) {
    sections.push(`<!-- inline comment on ${c.path} line ${c.line} -->`, c.body);
  }
  for (const c of on.fake.state.issueCommentsOf("acme", repo, 1)) sections.push("<!-- summary comment -->", c.body);
  sections.push(`<!-- check run: ${run.conclusion} -->`, `**${run.output.title ?? ""}**`, "", run.output.summary ?? "");
  // Commit SHAs are random per run; everything else is deterministic.
  const markdown = sections.join("\n\n").replaceAll(pull.headSha, "<head-sha>").replaceAll(pull.headSha.slice(0, 7), "<head>").replace(/\d+ ms</g, "<n> ms<");
  return { markdown };
}

const WORKFLOW = `name: ci
on: pull_request
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: some-org/setup-thing@v2
      - run: npm test
`;

const kinds: [string, string, () => Promise<Posted>][] = [
  ["secret", "a leaked AWS key", () => post(h, "secret", [{ path: "src/config.ts", base: "export const region = 'eu-west-1';\n", head: `export const region = 'eu-west-1';\nexport const key = "${fakeAwsKeyId("golden")}";\n` }])],
  [
    "vulnerable-dependency",
    "a vulnerable dependency, with a one-click fix",
    () =>
      post(h, "vulnerable", [
        { path: "package.json", base: packageJson({ ms: "^2.1.3" }), head: packageJson({ lodash: "^4.17.15", ms: "^2.1.3" }) },
        {
          path: "package-lock.json",
          base: packageLock({ ms: "^2.1.3" }, [{ name: "ms", version: "2.1.3" }]),
          head: packageLock({ lodash: "^4.17.15", ms: "^2.1.3" }, [{ name: "lodash", version: "4.17.15" }, { name: "ms", version: "2.1.3" }]),
        },
      ]),
  ],
  [
    "malicious-package",
    "a known malicious package",
    () =>
      post(h, "malicious", [
        { path: "package.json", base: packageJson({ ms: "^2.1.3" }), head: packageJson({ "evil-helper": "1.0.0", ms: "^2.1.3" }) },
        {
          path: "package-lock.json",
          base: packageLock({ ms: "^2.1.3" }, [{ name: "ms", version: "2.1.3" }]),
          head: packageLock({ "evil-helper": "1.0.0", ms: "^2.1.3" }, [{ name: "evil-helper", version: "1.0.0" }, { name: "ms", version: "2.1.3" }]),
        },
      ]),
  ],
  [
    "workflow-pin",
    "a workflow audit with a pin suggestion",
    () => {
      const action = ensureRepo(h.fake, "some-org", "setup-thing");
      action.tags.set("v2", ACTION_SHA);
      action.tags.set("v2.1.0", ACTION_SHA);
      return post(h, "workflow", [{ path: ".github/workflows/ci.yml", base: null, head: WORKFLOW }]);
    },
  ],
  ["dockerfile", "a Dockerfile audit", () => post(h, "docker", [{ path: "Dockerfile", base: null, head: 'FROM node:22-slim\nRUN curl -fsSL https://get.example.com/i.sh | sh\nCMD ["node", "server.js"]\n' }])],
  ["clean", "a clean run (summary comment: always)", () => post(h, "clean", [{ path: "src/app.ts", base: "export const a = 1;\n", head: "export const a = 2;\n" }], "review:\n  summary_comment: always\n")],
  [
    "not-checked",
    "a check that could not run (OSV unreachable)",
    () =>
      post(broken, "not-checked", [
        { path: "package.json", base: packageJson({ ms: "^2.1.3" }), head: packageJson({ ms: "^2.1.3", left: "1.0.0" }) },
        {
          path: "package-lock.json",
          base: packageLock({ ms: "^2.1.3" }, [{ name: "ms", version: "2.1.3" }]),
          head: packageLock({ ms: "^2.1.3", left: "1.0.0" }, [{ name: "ms", version: "2.1.3" }, { name: "left", version: "1.0.0" }]),
        },
      ]),
  ],
  [
    "many-findings",
    "120 findings, over the inline cap",
    () => post(h, "many", [{ path: "keys.env", base: null, head: Array.from({ length: 120 }, (_, i) => `KEY_${i}=${fakeAwsKeyId(`many-${i}`)}`).join("\n") + "\n" }]),
  ],
];

const produced = new Map<string, Posted>();

describe("golden review comments", () => {
  beforeAll(async () => {
    for (const [kind, , make] of kinds) produced.set(kind, await make());
  }, 60_000);

  it.each(kinds.map(([kind]) => kind))("%s matches its golden Markdown and HTML", (kind) => {
    const { markdown } = produced.get(kind)!;
    const html = md.render(markdown);
    const mdFile = new URL(`../fixtures/comments/${kind}.md`, import.meta.url);
    const htmlFile = new URL(`../fixtures/comments/${kind}.html`, import.meta.url);
    if (process.env.UPDATE_GOLDEN === "1") {
      writeFileSync(mdFile, `${markdown}\n`);
      writeFileSync(htmlFile, html);
    }
    expect(existsSync(mdFile), `no golden file for ${kind}: run UPDATE_GOLDEN=1`).toBe(true);
    expect(`${markdown}\n`).toBe(readFileSync(mdFile, "utf8"));
    expect(html).toBe(readFileSync(htmlFile, "utf8"));
  });

  it("renders the product's own links as https links, and nothing from the pull request as a link, image, HTML or mention", () => {
    for (const [kind] of kinds) {
      const html = md.render(produced.get(kind)!.markdown);
      for (const [, href] of html.matchAll(/<a href="([^"]*)"/g)) {
        expect(href, kind).toMatch(/^https:\/\/[^\s"<>]+$/);
        // Links point at the provider's pages, GitHub or the project's documentation, never at hosts a pull request named.
        expect(href, kind).not.toMatch(/example\.com|get\.example/);
      }
      expect(html, kind).not.toMatch(/<img|<script|<iframe/);
      // GitHub mentions nobody inside code; everywhere else an `@name` must be broken.
      expect(html.replace(/<code>[\s\S]*?<\/code>/g, ""), kind).not.toMatch(/@[a-z]/i);
    }
    // Fix steps with the provider's URL are clickable (the issue's "Delete the token at …").
    const secret = md.render(produced.get("secret")!.markdown);
    expect(secret).toMatch(/<a href="https:\/\/[^"]+aws[^"]*"/i);
    expect(secret).not.toContain("\u200d//");
  });

  it("never repeats the provider in a title, and says why it matters in words of its own", () => {
    const secret = produced.get("secret")!.markdown;
    expect(secret).not.toMatch(/\(AWS\)/);
    const why = /\*\*Why it matters:\*\* (.+)/.exec(secret)?.[1];
    expect(why).toBeDefined();
    expect(why!.toLowerCase()).not.toMatch(/^aws access key/);
  });

  it("keeps the sticky comment of a pull request with findings to at most ten lines", () => {
    for (const kind of ["secret", "vulnerable-dependency", "dockerfile", "many-findings", "not-checked"]) {
      const summary = produced.get(kind)!.markdown.split("<!-- summary comment -->")[1]?.split("<!-- check run")[0] ?? "";
      const visible = summary.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("<!--"));
      expect(visible.length, kind).toBeGreaterThan(0);
      expect(visible.length, kind).toBeLessThanOrEqual(10);
    }
  });

  it("is shown in docs/review-examples.md", () => {
    const sections = kinds.map(([kind, label]) => `## ${label[0]!.toUpperCase()}${label.slice(1)}\n\nFile: [\`test/fixtures/comments/${kind}.md\`](../test/fixtures/comments/${kind}.md)\n\n\`\`\`\`markdown\n${produced.get(kind)!.markdown}\n\`\`\`\``);
    expectGeneratedSection(new URL("../../docs/review-examples.md", import.meta.url), { start: "<!-- examples:start -->", end: "<!-- examples:end -->" }, sections.join("\n\n"), "UPDATE_DOCS=1 npx vitest run test/app/review-comments.golden.test.ts");
  });
});
