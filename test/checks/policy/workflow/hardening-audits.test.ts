/**
 * The hardening audits (pins, permissions, secrets, artifacts, credentials) beyond their samples:
 * keys that decide what is new, confidence, messages that never show a credential, safe files in
 * the style of well-known projects, and hostile input.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditFinding } from "../../../../src/checks/policy/audit.js";
import { artipacked } from "../../../../src/checks/policy/audits/workflows/artipacked.js";
import { excessivePermissions } from "../../../../src/checks/policy/audits/workflows/excessive-permissions.js";
import { hardcodedCredentials } from "../../../../src/checks/policy/audits/workflows/hardcoded-credentials.js";
import { secretsInherit } from "../../../../src/checks/policy/audits/workflows/secrets-inherit.js";
import { secretsToJson } from "../../../../src/checks/policy/audits/workflows/secrets-to-json.js";
import { shaPinWithoutVersion } from "../../../../src/checks/policy/audits/workflows/sha-pin-without-version.js";
import { unpinnedUses } from "../../../../src/checks/policy/audits/workflows/unpinned-uses.js";
import { parseWorkflow, type WorkflowDocument } from "../../../../src/checks/policy/domains/workflow.js";
import { policyCheck } from "../../../../src/checks/policy/index.js";
import { policyOptionsSchema, type PolicyOptions } from "../../../../src/checks/policy/options.js";
import type { Audit } from "../../../../src/checks/policy/audit.js";
import { linesReported } from "../../../helpers/rule-tester.js";

const HARDENING: readonly Audit<WorkflowDocument>[] = [unpinnedUses, shaPinWithoutVersion, excessivePermissions, secretsInherit, secretsToJson, artipacked, hardcodedCredentials];
const SHA = "692973e3d937129bcbf40652eb9f2f61becf3332";
const WORKFLOW = ".github/workflows/ci.yml";

function run(audit: Audit<WorkflowDocument>, text: string, options: Partial<PolicyOptions> = {}, path = WORKFLOW, extra: object = {}): readonly AuditFinding[] {
  return audit.run(parseWorkflow(text, path), { options: policyOptionsSchema.parse(options), ...extra });
}

const lines = (findings: readonly AuditFinding[]) => findings.map((f) => f.line);

describe("safe workflows in the style of well-known projects", () => {
  const dir = new URL("../../../fixtures/policy/workflow/hardening-safe/", import.meta.url).pathname;
  const files = readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? readdirSync(join(dir, name)).map((f) => join(name, f)) : [name]));

  it.each(files)("%s gives no finding", (name) => {
    const path = name.endsWith("action.yml") ? name : `.github/workflows/${name}`;
    const doc = parseWorkflow(readFileSync(join(dir, name), "utf8"), path);
    const options = policyOptionsSchema.parse({});
    for (const audit of HARDENING) expect(audit.run(doc, { options }).map((f) => `${audit.id}:${f.line} ${f.message}`)).toEqual([]);
  });
});

describe("unpinned-uses", () => {
  const text = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/tool@v1
      - run: echo
  b:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/tool@v1
`;

  const reportedThroughCheck = async (base: string, head: string) => (await linesReported(policyCheck, "unpinned-uses", { path: WORKFLOW, base, text: head })).lines;

  it("keys by job and uses value, so the same action in another job is its own finding", () => {
    expect(run(unpinnedUses, text).map((f) => f.key)).toEqual(["a:acme/tool@v1", "b:acme/tool@v1"]);
  });

  it("through the check: moving a step is not new, adding it to another job is", async () => {
    const base = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo
      - uses: acme/tool@v1
`;
    const moved = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/tool@v1
      - run: echo
`;
    expect(await reportedThroughCheck(base, moved)).toEqual([]);
    expect(await reportedThroughCheck(base, text)).toEqual([11]);
  });

  it("a changed tag is new: the change chose it", async () => {
    const base = text.replaceAll("@v1", "@v0");
    expect(await reportedThroughCheck(base, text)).toEqual([6, 11]);
  });

  it("offers no suggestion of its own (the app adds a resolved pin) and says what to pin", () => {
    const [finding] = run(unpinnedUses, text);
    expect(finding?.suggestion).toBeUndefined();
    expect(finding?.message).toContain("full commit SHA `v1` points at");
    expect(finding?.message).toContain("acme/tool");
  });

  it("composite actions' steps are judged too", () => {
    const action = `name: x
description: y
runs:
  using: composite
  steps:
    - uses: acme/setup@main
    - uses: actions/cache@v4
`;
    const findings = run(unpinnedUses, action, {}, "action.yml");
    expect(lines(findings)).toEqual([6]);
    expect(findings[0]?.message).toMatch(/^This action's step uses/);
  });

  it("`any` allows even a missing ref; a Docker tag follows the configured `*`", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/tool
      - uses: docker://alpine:3
`;
    expect(lines(run(unpinnedUses, t))).toEqual([6, 7]);
    expect(lines(run(unpinnedUses, t, { pins: { "*": "any" } }))).toEqual([]);
    expect(lines(run(unpinnedUses, t, { pins: { acme: "any" } }))).toEqual([7]);
  });

  it("an expression in uses is not judged (GitHub rejects it)", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: \${{ matrix.action }}
`;
    expect(run(unpinnedUses, t)).toEqual([]);
  });
});

describe("sha-pin-without-version", () => {
  it("reads the comment beside the value, with any spacing", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/one@${SHA}#v1.0.0
      - uses: "acme/two@${SHA}" # 2.3.4
      - uses: acme/three@${SHA}   # ratchet:acme/three@v3
      - uses: acme/four@${SHA} # keep this
`;
    expect(lines(run(shaPinWithoutVersion, t))).toEqual([9]);
  });
});

describe("excessive-permissions", () => {
  const job = (name: string, extra = "") => `  ${name}:
    runs-on: ubuntu-latest
${extra}    steps:
      - run: ./go.sh
        env:
          TOKEN: \${{ secrets.DEPLOY_TOKEN }}
`;

  it("a job-level block covers its job; only jobs that inherit the default are named", () => {
    const t = `on: push
jobs:
${job("a", "    permissions:\n      contents: read\n")}${job("b")}`;
    const findings = run(excessivePermissions, t);
    expect(lines(findings)).toEqual([11]);
    expect(findings[0]).toMatchObject({ severity: "medium", confidence: "low", key: "workflow:no-permissions" });
    expect(findings[0]?.message).toContain("`b`");
    expect(findings[0]?.message).not.toContain("`a`");
  });

  it("read-all and {} are fine; workflow write-all counts only for jobs that inherit it", () => {
    expect(run(excessivePermissions, `on: push\npermissions: read-all\njobs:\n${job("a")}`)).toEqual([]);
    expect(run(excessivePermissions, `on: push\npermissions: {}\njobs:\n${job("a")}`)).toEqual([]);
    const t = `on: push\npermissions: write-all\njobs:\n${job("a", "    permissions: read-all\n")}${job("b")}`;
    const findings = run(excessivePermissions, t);
    expect(lines(findings)).toEqual([2]);
    expect(findings[0]?.message).toContain("job `b`");
  });

  it("secrets reach a job through inherit, the workflow's env, or a reusable call's secrets", () => {
    expect(lines(run(excessivePermissions, `on: push\njobs:\n  call:\n    uses: ./.github/workflows/x.yml\n    secrets: inherit\n`))).toEqual([3]);
    expect(lines(run(excessivePermissions, `on: push\nenv:\n  T: \${{ secrets.T }}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n`))).toEqual([5]);
  });

  it("GITHUB_TOKEN, string literals and other contexts are not stored secrets", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ 'secrets.X' }} \${{ github.token }} \${{ inputs.secrets }}"
        env:
          GH: \${{ secrets.GITHUB_TOKEN }}
`;
    expect(run(excessivePermissions, t)).toEqual([]);
  });

  it("a workflow only called by others is the caller's business, unless it has its own triggers", () => {
    const body = `jobs:\n${job("a")}`;
    expect(run(excessivePermissions, `on: workflow_call\n${body}`)).toEqual([]);
    expect(lines(run(excessivePermissions, `on: [workflow_call, push]\n${body}`))).toEqual([3]);
  });

  it("pull_request_target raises the confidence; without stored secrets there is no finding", () => {
    expect(run(excessivePermissions, `on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n`)).toEqual([]);
    expect(run(excessivePermissions, `on: pull_request_target\njobs:\n${job("a")}`)).toMatchObject([{ line: 3, confidence: "medium" }]);
  });

  it("action files have no token of their own", () => {
    expect(run(excessivePermissions, `name: a\ndescription: b\nruns:\n  using: composite\n  steps:\n    - run: echo \${{ secrets.X }}\n      shell: bash\n`, {}, "action.yml")).toEqual([]);
  });
});

describe("secrets-inherit", () => {
  const t = `on: push
jobs:
  mine:
    uses: octo-org/shared/.github/workflows/ci.yml@${SHA} # v1
    secrets: inherit
  theirs:
    uses: vendor/workflows/.github/workflows/scan.yml@${SHA} # v2
    secrets: inherit
`;

  it("without the repository's owner, every remote call is reported at low confidence", () => {
    expect(run(secretsInherit, t).map((f) => [f.line, f.confidence])).toEqual([
      [5, "low"],
      [8, "low"],
    ]);
  });

  it("when the caller names the repository, the same owner is trusted and another is high confidence", () => {
    const findings = run(secretsInherit, t, {}, WORKFLOW, { repository: { owner: "Octo-Org" } });
    expect(findings.map((f) => [f.line, f.confidence])).toEqual([[8, "high"]]);
  });
});

describe("secrets-to-json", () => {
  it("reports the line inside a block scalar, keyed by the step's name rather than its position", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo one
      - name: dump
        run: |
          echo start
          echo '\${{ toJSON(secrets) }}' > all.json
`;
    const [finding] = run(secretsToJson, t);
    expect(finding).toMatchObject({ line: 10, key: "jobs.a.steps[dump].run:whole-secrets" });
  });

  it("an expression split over lines is found on its first line", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/x@v1
        with:
          all: \${{ toJSON(
            secrets) }}
`;
    expect(lines(run(secretsToJson, t))).toEqual([8]);
  });
});

describe("artipacked", () => {
  const workflow = (checkoutWith: string, upload: string, uploadRef = "v4") => `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4${checkoutWith}
      - uses: actions/upload-artifact@${uploadRef}
        with:
${upload}`;
  /** An upload of `path` that includes hidden files (so .git/config, with its token, when it holds the checkout). */
  const uploadWithHidden = (path: string) => `          path: ${path}\n          include-hidden-files: true\n`;

  it("the workspace, by any of its names, with hidden files", () => {
    for (const path of [".", "./", "./**", "**", "${{ github.workspace }}", "$GITHUB_WORKSPACE/", ".git/config"]) {
      expect(lines(run(artipacked, workflow("", uploadWithHidden(JSON.stringify(path))))), path).toEqual([6]);
    }
  });

  it("a path that does not hold the checkout's .git is fine", () => {
    for (const path of ["dist", "**/*.log", ".github", "coverage/"]) {
      expect(run(artipacked, workflow("", uploadWithHidden(JSON.stringify(path)))), path).toEqual([]);
    }
  });

  it("a checkout into a sub-directory leaks when that directory or a parent is uploaded", () => {
    const checkout = "\n        with:\n          path: repo/src";
    expect(lines(run(artipacked, workflow(checkout, uploadWithHidden("repo"))))).toEqual([6]);
    expect(run(artipacked, workflow(checkout, uploadWithHidden("repo/build")))).toEqual([]);
  });

  it("persist-credentials false (also quoted) or an expression is given the benefit of the doubt", () => {
    for (const value of ["false", '"false"', "False", "${{ inputs.persist }}"]) {
      expect(run(artipacked, workflow(`\n        with:\n          persist-credentials: ${value}`, uploadWithHidden("."))), value).toEqual([]);
    }
  });

  it("the upload's version decides when include-hidden-files is not set", () => {
    const upload = "          path: .\n";
    expect(lines(run(artipacked, workflow("", upload, "v4.3.6")))).toEqual([6]);
    expect(lines(run(artipacked, workflow("", upload, "v2")))).toEqual([6]);
    expect(run(artipacked, workflow("", upload, "v4.4.0"))).toEqual([]);
    expect(run(artipacked, workflow("", upload, "v3"))).toEqual([]);
    expect(run(artipacked, workflow("", upload, "main"))).toEqual([]);
    expect(run(artipacked, workflow("", upload, `${SHA} # v4.6.2`))).toEqual([]);
    expect(run(artipacked, workflow("", upload, `${SHA} # v3.1.3`)).map((f) => f.confidence)).toEqual(["high"]);
    expect(run(artipacked, workflow("", upload, SHA)).map((f) => f.confidence)).toEqual(["low"]);
    expect(run(artipacked, workflow("", "          path: .\n          include-hidden-files: false\n", "v4.3.0"))).toEqual([]);
  });

  it("an upload before the checkout, or in another job, does not carry its token", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/upload-artifact@v4
        with:
          path: .
          include-hidden-files: true
      - uses: actions/checkout@v4
  b:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/upload-artifact@v4
        with:
          path: .
          include-hidden-files: true
`;
    expect(run(artipacked, t)).toEqual([]);
  });
});

describe("hardcoded-credentials", () => {
  const token = "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";

  it("never shows the value, in the message or the key", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/release@v1
        with:
          token: ${token}
`;
    const [finding] = run(hardcodedCredentials, t);
    expect(finding).toMatchObject({ line: 8, confidence: "high" });
    expect(finding!.message).not.toContain(token.slice(4, 36));
    expect(finding!.key).not.toContain(token.slice(4, 36));
    expect(finding!.message).toContain("GitHub");
  });

  it("a different literal in the same place is a new key; the same literal elsewhere in the file is not a new value", () => {
    const t = (value: string) => `on: push\nenv:\n  DEPLOY_TOKEN: ${value}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n`;
    const a = run(hardcodedCredentials, t("q7TzX2mV9kRb4WcN8pLs3HdY"));
    const b = run(hardcodedCredentials, t("Z1xQ7mV9kRb4WcN8pLs3HdYt"));
    expect(a[0]?.key).not.toEqual(b[0]?.key);
    expect(a[0]?.key?.startsWith("env.DEPLOY_TOKEN:")).toBe(true);
  });

  it("a service's random-looking password is reported; its throwaway one is not", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    services:
      db:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: postgres
      vault:
        image: hashicorp/vault:1.15
        env:
          VAULT_DEV_ROOT_TOKEN_ID: root
          VAULT_TOKEN: hvs.CAESIJ7pX4mQ2kL9vN3bR8tY6wZ1aS5dF0gH
    steps:
      - run: make
`;
    expect(lines(run(hardcodedCredentials, t))).toEqual([14]);
  });

  it("numbers, booleans and references are not credentials", () => {
    const t = `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    container:
      image: ghcr.io/acme/ci:1
      credentials:
        username: bot
        password: \${{ secrets.GHCR_PAT }}
    env:
      MAX_TOKEN: 4096
      USE_TOKEN: true
      API_KEY: $API_KEY
    steps:
      - run: make
`;
    expect(run(hardcodedCredentials, t)).toEqual([]);
  });
});

describe("hostile input", () => {
  it("deep nesting and many expressions stay fast and do not crash", () => {
    // Deep enough to matter, shallow enough for the YAML parser (which refuses ~900 levels).
    const depth = 600;
    let nested = "";
    for (let i = 0; i < depth; i++) nested += `${"  ".repeat(i + 4)}k${i}:\n`;
    nested += `${"  ".repeat(depth + 4)}v: \${{ toJSON(secrets) }}\n`;
    const deep = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/x@${SHA}\n        with:\n          matrix:\n${nested}`;
    const many = `on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${Array.from({ length: 3000 }, (_, i) => `      - run: echo \${{ secrets.S${i} }} \${{ github.sha }}\n`).join("")}`;
    const docs = [deep, many].map((text) => parseWorkflow(text, WORKFLOW));
    const options = policyOptionsSchema.parse({});
    const started = performance.now();
    expect(secretsToJson.run(docs[0]!, { options }).map((f) => f.line)).toEqual([8 + depth + 1]);
    for (const doc of docs) for (const audit of HARDENING) audit.run(doc, { options });
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
