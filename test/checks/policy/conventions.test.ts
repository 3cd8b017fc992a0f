/**
 * The policy check's own conventions: every audit lives in audits/<domain folder>/<id>.ts, is
 * registered, has samples of both kinds and a remediation with a link; every audit file is
 * registered. (The repository-wide conventions test checks the docs page names every rule.)
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUDIT_FOLDERS, POLICY_AUDITS } from "../../../src/checks/policy/audits/index.js";

const AUDITS_DIR = new URL("../../../src/checks/policy/audits/", import.meta.url);

describe("policy audits", () => {
  it("are all registered, each under its domain's folder with its id as file name", () => {
    const registered = new Set(POLICY_AUDITS.map((a) => `${AUDIT_FOLDERS[a.domain]}/${a.id}.ts`));
    const files = Object.values(AUDIT_FOLDERS).flatMap((folder) =>
      readdirSync(new URL(`${folder}/`, AUDITS_DIR))
        .filter((name) => name.endsWith(".ts") && name !== "index.ts" && !name.startsWith("_"))
        .map((name) => `${folder}/${name}`),
    );
    expect(files.filter((f) => !registered.has(f)), "audit files not in their folder's index.ts").toEqual([]);
    expect([...registered].filter((f) => !files.includes(f)), "audits whose id does not match a file in their domain's folder").toEqual([]);
  });

  it("have unique ids, samples of both kinds, and a remediation with a link", () => {
    expect(POLICY_AUDITS.length, "registered audits").toBeGreaterThan(0);
    const ids = POLICY_AUDITS.map((a) => a.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const audit of POLICY_AUDITS) {
      expect(audit.samples.valid.length, `${audit.id}: valid samples`).toBeGreaterThan(0);
      expect(audit.samples.invalid.length, `${audit.id}: invalid samples`).toBeGreaterThan(0);
      for (const sample of audit.samples.invalid) expect(sample.lines.length, `${audit.id}: an invalid sample lists its lines`).toBeGreaterThan(0);
      expect(audit.link, `${audit.id}: link`).toMatch(/^https:\/\//);
      expect(audit.remediation.trim(), `${audit.id}: remediation`).not.toBe("");
    }
  });
});
