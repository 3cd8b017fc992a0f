/**
 * The demo's pull request: one small, plausible change ("add a nightly export job") that carries
 * one of each problem pr-sentinel is built to catch, so a first run shows every kind of comment:
 * a leaked cloud key, a vulnerable and a typosquatted npm dependency, an injectable
 * `pull_request_target` workflow with a tag-pinned third-party action, and a Dockerfile whose
 * container runs as root. Also the world around it: the OSV advisories and npm packuments the
 * loopback fakes serve, and the tags of the action's repository in the fake GitHub.
 *
 * Nothing here is a real secret: the key id is derived from a seed (the tests' `fakeAwsKeyId`), so
 * it is well-formed, the same on every run, and belongs to nobody.
 */
import { LODASH_ADVISORIES, OLD_DATE, packageJson, packageLock } from "../../test/checks/dependencies/harness.js";
import type { FileChange } from "../../test/helpers/fake-github/scenario.js";
import { fakeAwsKeyId } from "../../test/helpers/fake-github/test-checks.js";
import { packument, type Packument } from "../../test/helpers/fake-npm-registry.js";
import type { OsvRecord } from "../../src/services/osv/osv-record.js";

export const OWNER = "acme";
export const REPO = "shop";
export const NUMBER = 42;
export const TITLE = "Add a nightly export job";
export const HEAD_BRANCH = "nightly-export";

/** The third-party action the workflow pins by tag, and the commit its tags point at in the fake. */
export const ACTION = { owner: "some-org", repo: "greet-action", tag: "v2", release: "v2.3.1", sha: "8f4b2c1d9e7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c" } as const;

/**
 * The typosquat: `crossenv` for `cross-env`, the name of a real 2017 npm attack (the package
 * copied cross-env and sent the installer's environment variables away from a postinstall script).
 * The fake registry serves it as a young, one-version package with an install script, so the
 * registry signals the check reads agree with the name.
 */
export const TYPOSQUAT = "crossenv";

/** The planted AWS access key id (well-formed, derived from a seed, nobody's). */
export const DEMO_KEY_ID = fakeAwsKeyId("pr-sentinel demo");

/**
 * What the demo shows of a file's text: the planted key masked to its first six and last two
 * characters (as the app's own evidence is), so neither the terminal nor the HTML page ever holds
 * a whole credential, fake or not, for someone to paste into an issue or a chat. The length stays,
 * so the diff looks as it would.
 */
export function maskSecrets(text: string): string {
  return text.replaceAll(DEMO_KEY_ID, `${DEMO_KEY_ID.slice(0, 6)}${"•".repeat(DEMO_KEY_ID.length - 8)}${DEMO_KEY_ID.slice(-2)}`);
}

const baseDependencies = { express: "^4.21.2" };
const headDependencies = { [TYPOSQUAT]: "^6.1.1", express: "^4.21.2", lodash: "^4.17.15" };
const baseLockPackages = [{ name: "express", version: "4.21.2" }];
const headLockPackages = [
  { name: TYPOSQUAT, version: "6.1.1", hasInstallScript: true },
  { name: "express", version: "4.21.2" },
  { name: "lodash", version: "4.17.15" },
];

const CONFIG_BASE = `// Settings of the nightly jobs.
export const region = "eu-west-1";
export const bucket = "acme-shop-exports";
`;

const CONFIG_HEAD = `// Settings of the nightly jobs.
export const region = "eu-west-1";
export const bucket = "acme-shop-exports";

// TODO: move to the secret store before release
export const awsAccessKeyId = "${DEMO_KEY_ID}";
`;

const WORKFLOW = `name: Welcome
on:
  pull_request_target:
    types: [opened]

jobs:
  welcome:
    runs-on: ubuntu-latest
    steps:
      - uses: ${ACTION.owner}/${ACTION.repo}@${ACTION.tag}
        with:
          message: Thanks for your first pull request!
      - name: Log the title
        run: echo "New pull request \${{ github.event.pull_request.title }}"
`;

const DOCKERFILE = `FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
CMD ["node", "jobs/export.js"]
`;

const EXPORT_JOB = `import { region, bucket } from "../src/config.js";

console.log(\`exporting orders to s3://\${bucket} in \${region}\`);
`;

/** The whole change from base to head, in the order GitHub lists the files. */
export function demoChanges(): FileChange[] {
  return [
    { path: ".github/workflows/welcome.yml", base: null, head: WORKFLOW },
    { path: "Dockerfile", base: null, head: DOCKERFILE },
    { path: "jobs/export.js", base: null, head: EXPORT_JOB },
    { path: "package-lock.json", base: packageLock(baseDependencies, baseLockPackages), head: packageLock(headDependencies, headLockPackages) },
    { path: "package.json", base: packageJson(baseDependencies), head: packageJson(headDependencies) },
    { path: "src/config.ts", base: CONFIG_BASE, head: CONFIG_HEAD },
  ];
}

/** What the loopback OSV fake knows: the two real lodash advisories (the tests' records). */
export function demoAdvisories(): OsvRecord[] {
  return [...LODASH_ADVISORIES];
}

const DAY = 24 * 3600 * 1000;

/** What the loopback npm registry fake serves, publication dates relative to now. */
export function demoPackuments(now = Date.now()): Packument[] {
  const daysAgo = (days: number) => new Date(now - days * DAY).toISOString();
  return [
    packument("lodash", ["4.17.15", "4.17.19", "4.17.20", "4.17.21"].map((version) => ({ version, published: OLD_DATE, publisher: "jdalton", license: "MIT" }))),
    packument("express", [{ version: "4.21.2", published: OLD_DATE, publisher: "wesleytodd", license: "MIT" }]),
    // Old enough not to be a "new release": the name and the install script are the story.
    packument(TYPOSQUAT, [{ version: "6.1.1", published: daysAgo(20), publisher: "hacktask", license: "MIT", scripts: { postinstall: "node package-setup.js" } }]),
  ];
}
