/**
 * Real-style manifests (written for these tests in the style of public projects): the safe ones
 * give no finding at all, through the whole policy check; in the unsafe ones every offending line
 * carries a `# expect: <audit-id>` comment, and the audits report exactly those lines.
 */
import { readdirSync, readFileSync } from "node:fs";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { kubernetesAudits } from "../../../../src/checks/policy/audits/kubernetes/index.js";
import { kubernetesDomain } from "../../../../src/checks/policy/domains/kubernetes.js";
import { policyCheck } from "../../../../src/checks/policy/index.js";
import { policyOptionsSchema } from "../../../../src/checks/policy/options.js";
import { configFromObject } from "../../../../src/core/config/load-config.js";
import { runScan } from "../../../../src/core/engine.js";
import { fileChange } from "../../dependencies/harness.js";

const FIXTURES = new URL("../../../fixtures/policy/kubernetes/", import.meta.url);
const options = policyOptionsSchema.parse({});

function fixtures(folder: "safe" | "unsafe"): { name: string; text: string }[] {
  return readdirSync(new URL(`${folder}/`, FIXTURES))
    .filter((name) => name.endsWith(".yaml"))
    .map((name) => ({ name, text: readFileSync(new URL(`${folder}/${name}`, FIXTURES), "utf8") }));
}

/** `line:audit-id` for every finding of the Kubernetes audits. */
function reported(name: string, text: string): string[] {
  expect(kubernetesDomain.matches(`deploy/${name}`, text), `${name} is read as a manifest`).toBe(true);
  const doc = kubernetesDomain.parse(text, `deploy/${name}`);
  return kubernetesAudits.flatMap((a) => a.run(doc, { options }).map((f) => `${f.line}:${a.id}`)).sort();
}

function expected(text: string): string[] {
  return text
    .split("\n")
    .flatMap((line, i) => {
      const marker = /# expect: (.*)$/.exec(line);
      return marker ? marker[1]!.split(",").map((id) => `${i + 1}:${id.trim()}`) : [];
    })
    .sort();
}

describe("safe manifests", () => {
  const safe = fixtures("safe");

  it("are at least eight", () => {
    expect(safe.length).toBeGreaterThanOrEqual(8);
  });

  for (const { name, text } of safe) {
    it(`${name} gives no Kubernetes finding`, () => {
      expect(reported(name, text)).toEqual([]);
    });
  }

  it("give no finding and no error through the whole policy check", async () => {
    const files = safe.map(({ name, text }) => fileChange(`deploy/${name}`, null, text));
    const config = configFromObject({}, "test", [policyCheck]);
    const result = await runScan({ files, checks: [policyCheck], config, logger: pino({ level: "silent" }), services: {}, offline: true });
    expect(result.outcomes.filter((o) => o.status === "error")).toEqual([]);
    const kubernetesRules = new Set(kubernetesAudits.map((a) => `policy/${a.id}`));
    expect(result.findings.filter((f) => kubernetesRules.has(f.ruleId)).map((f) => `${f.path}:${f.startLine} ${f.ruleId}`)).toEqual([]);
  });
});

describe("unsafe manifests", () => {
  const unsafe = fixtures("unsafe");

  it("are at least two (an empty folder would run no test below)", () => {
    expect(unsafe.length).toBeGreaterThanOrEqual(2);
  });

  for (const { name, text } of unsafe) {
    it(`${name}: each marked line is reported by its audit, and nothing else`, () => {
      const want = expected(text);
      expect(want.length).toBeGreaterThan(0);
      expect(reported(name, text)).toEqual(want);
    });
  }
});

describe("a manifest that does not parse", () => {
  it("is an error outcome of the policy check naming the file and the line", async () => {
    const files = [fileChange("deploy/app.yaml", null, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  name: again\n")];
    const config = configFromObject({}, "test", [policyCheck]);
    const result = await runScan({ files, checks: [policyCheck], config, logger: pino({ level: "silent" }), services: {}, offline: true });
    const errors = result.outcomes.filter((o) => o.status === "error").map((o) => o.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^deploy\/app\.yaml line 5: .*duplicate key/);
  });
});
