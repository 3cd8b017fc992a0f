/**
 * The dependencies check end to end through the engine, against loopback fakes of OSV and the npm
 * registry: what a pull request adds is judged on its lines, what it did not touch is not.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { packument } from "../../helpers/fake-npm-registry.js";
import {
  fileChange,
  lineOf,
  packageJson,
  packageLock,
  scanDependencies,
  startDependencyFakes,
  type DependencyFakes,
} from "./harness.js";

let fakes: DependencyFakes;
beforeAll(async () => {
  fakes = await startDependencyFakes();
});
afterAll(() => fakes.close());
beforeEach(() => fakes.osv.requests.reset());

const ms = { name: "ms", version: "2.1.3" };
const baseManifest = packageJson({ ms: "^2.1.3" });
const baseLock = packageLock({ ms: "^2.1.3" }, [ms]);

describe("a pull request that adds lodash@4.17.15", () => {
  const headManifest = packageJson({ lodash: "^4.17.15", ms: "^2.1.3" });
  const headLock = packageLock({ lodash: "^4.17.15", ms: "^2.1.3" }, [{ name: "lodash", version: "4.17.15" }, ms]);

  it("reports its advisories (high) with the fixed version on the package.json and the lockfile lines", async () => {
    const result = await scanDependencies([fileChange("package.json", baseManifest, headManifest), fileChange("package-lock.json", baseLock, headLock)], { services: fakes.services });
    expect(result.outcomes[0]).toMatchObject({ checkId: "dependencies", status: "ok" });
    const vulns = result.findings.filter((f) => f.ruleId === "dependencies/vulnerable-dependency");
    expect(vulns.map((f) => [f.path, f.startLine, f.severity])).toEqual([
      ["package-lock.json", lineOf(headLock, '"node_modules/lodash"'), "high"],
      ["package.json", lineOf(headManifest, '"lodash"'), "high"],
    ]);
    for (const f of vulns) {
      expect(f.message).toContain("GHSA-35jh-r3h4-6jhm");
      expect(f.message).toContain("CVE-2020-8203");
      expect(f.message).toContain("Fixed in 4.17.21");
      expect(f.properties).toMatchObject({ package: "lodash", version: "4.17.15", fixed_version: "4.17.21" });
    }
    // One click applies the fix on the manifest line, operator kept.
    const manifestFinding = vulns.find((f) => f.path === "package.json")!;
    expect(manifestFinding.suggestion).toBe('    "lodash": "^4.17.21",');
    expect(vulns.find((f) => f.path === "package-lock.json")!.suggestion).toBeUndefined();
    // One querybatch for the whole delta, details only for the hits.
    expect(fakes.osv.requests.querybatch).toBe(1);
    expect(new Set(fakes.osv.requests.vulnIds)).toEqual(new Set(["GHSA-p6mc-m468-83gw", "GHSA-35jh-r3h4-6jhm"]));
  });

  it("says nothing about an unchanged vulnerable dependency when another one is added", async () => {
    const lockWithLodash = packageLock({ lodash: "^4.17.15" }, [{ name: "lodash", version: "4.17.15" }]);
    const lockWithMore = packageLock({ lodash: "^4.17.15", ms: "^2.1.3" }, [{ name: "lodash", version: "4.17.15" }, ms]);
    const result = await scanDependencies([fileChange("package-lock.json", lockWithLodash, lockWithMore)], { services: fakes.services });
    expect(result.findings.filter((f) => f.ruleId === "dependencies/vulnerable-dependency")).toEqual([]);
    expect(result.outcomes[0]?.status).toBe("ok");
  });

  it("is clean when the pull request only removes it", async () => {
    const result = await scanDependencies([fileChange("package.json", headManifest, baseManifest), fileChange("package-lock.json", headLock, baseLock)], { services: fakes.services });
    expect(result.findings).toEqual([]);
    expect(result.outcomes[0]?.status).toBe("ok");
  });

  it("finds an upgrade and a downgrade into the vulnerable range, and not an upgrade out of it", async () => {
    const lock = (v: string) => packageLock({ lodash: `^${v}` }, [{ name: "lodash", version: v }]);
    const into = await scanDependencies([fileChange("package-lock.json", lock("4.17.0"), lock("4.17.20"))], { services: fakes.services });
    expect(into.findings.map((f) => [f.ruleId, f.properties?.change, f.properties?.from_version])).toEqual([["dependencies/vulnerable-dependency", "upgraded", "4.17.0"]]);
    const down = await scanDependencies([fileChange("package-lock.json", lock("4.17.21"), lock("4.17.15"))], { services: fakes.services });
    expect(down.findings.map((f) => [f.ruleId, f.properties?.change])).toEqual([["dependencies/vulnerable-dependency", "downgraded"]]);
    const out = await scanDependencies([fileChange("package-lock.json", lock("4.17.15"), lock("4.17.21"))], { services: fakes.services });
    expect(out.findings).toEqual([]);
  });

  it("does not judge a dependency that only moved to another line", async () => {
    const before = packageLock({}, [{ name: "lodash", version: "4.17.15" }, ms]);
    const after = packageLock({}, [ms, { name: "lodash", version: "4.17.15" }]);
    const result = await scanDependencies([fileChange("package-lock.json", before, after)], { services: fakes.services });
    expect(result.findings).toEqual([]);
  });
});

describe("malware and supply-chain signals", () => {
  it("reports a MAL- package as critical", async () => {
    const head = packageLock({ "evil-helper": "1.0.0" }, [{ name: "evil-helper", version: "1.0.0" }]);
    const result = await scanDependencies([fileChange("package-lock.json", null, head)], { services: fakes.services });
    const malware = result.findings.filter((f) => f.ruleId === "dependencies/malicious-package");
    expect(malware).toHaveLength(1);
    expect(malware[0]).toMatchObject({ severity: "critical", startLine: lineOf(head, '"node_modules/evil-helper"') });
    expect(malware[0]!.message).toContain("MAL-2025-1234");
    expect(result.verdict.conclusion).toBe("fail");
  });

  it("reports a git dependency, an http resolved URL, a foreign host, a renamed tarball and a missing hash on their lines", async () => {
    const head = packageLock({}, [
      { name: "from-git", version: "1.0.0", resolved: "git+ssh://git@github.com/someone/from-git.git#0123456789abcdef0123456789abcdef01234567", integrity: null },
      { name: "plain-http", version: "1.0.0", resolved: "http://registry.npmjs.org/plain-http/-/plain-http-1.0.0.tgz" },
      { name: "elsewhere", version: "1.0.0", resolved: "https://npm.attacker.example/elsewhere/-/elsewhere-1.0.0.tgz" },
      { name: "renamed", version: "1.0.0", resolved: "https://registry.npmjs.org/other-pkg/-/other-pkg-1.0.0.tgz" },
      { name: "no-hash", version: "1.0.0", integrity: null },
      { name: "old-hash", version: "1.0.0", integrity: "sha1-2jmSVb3Gw/vSnhBKo2CsBiRBdbA=" },
    ]);
    const result = await scanDependencies([fileChange("package-lock.json", null, head)], { config: { checks: { dependencies: { vulnerabilities: false, registry_signals: false } } } });
    const got = result.findings.map((f) => [f.ruleId.replace("dependencies/", ""), f.startLine]).sort();
    expect(got).toEqual(
      [
        ["git-dependency", lineOf(head, '"node_modules/from-git"')],
        ["insecure-resolved-url", lineOf(head, '"node_modules/plain-http"')],
        ["untrusted-resolved-host", lineOf(head, '"node_modules/elsewhere"')],
        ["resolved-name-mismatch", lineOf(head, '"node_modules/renamed"')],
        ["missing-integrity", lineOf(head, '"node_modules/no-hash"')],
        ["weak-integrity", lineOf(head, '"node_modules/old-hash"')],
      ].sort(),
    );
    // A mirror the operator allows is not reported.
    const allowed = await scanDependencies([fileChange("package-lock.json", null, head)], {
      config: { checks: { dependencies: { vulnerabilities: false, registry_signals: false, allowed_hosts: ["npm.attacker.example"] } } },
    });
    expect(allowed.findings.map((f) => f.ruleId)).not.toContain("dependencies/untrusted-resolved-host");
  });

  it("reports install scripts, a young release, a typosquat and a disallowed licence from the registry", async () => {
    const now = Date.now();
    const recent = new Date(now - 24 * 3600 * 1000).toISOString();
    const local = await startDependencyFakes([], [
      packument("lodahs", [{ version: "1.0.0", published: "2021-01-01T00:00:00.000Z", publisher: "x", license: "MIT" }]),
      packument("native-thing", [
        { version: "1.0.0", published: "2021-01-01T00:00:00.000Z", publisher: "a", license: "MIT" },
        { version: "1.1.0", published: recent, publisher: "a", license: "GPL-3.0-only", scripts: { postinstall: "node ./collect.js" } },
      ]),
    ]);
    try {
      const base = packageLock({ "native-thing": "^1.0.0" }, [{ name: "native-thing", version: "1.0.0" }]);
      const head = packageLock({ "native-thing": "^1.1.0", lodahs: "1.0.0" }, [
        { name: "native-thing", version: "1.1.0", hasInstallScript: true },
        { name: "lodahs", version: "1.0.0" },
      ]);
      const result = await scanDependencies([fileChange("package-lock.json", base, head)], {
        services: local.services,
        config: { checks: { dependencies: { licenses: { allow: ["MIT", "Apache-2.0"] } } } },
      });
      const native = lineOf(head, '"node_modules/native-thing"');
      const got = result.findings.map((f) => [f.ruleId.replace("dependencies/", ""), f.startLine]).sort();
      expect(got).toEqual(
        [
          ["install-script", native],
          ["new-release", native],
          ["license-not-allowed", native],
          ["typosquat", lineOf(head, '"node_modules/lodahs"')],
        ].sort(),
      );
      expect(result.findings.find((f) => f.ruleId.endsWith("install-script"))!.message).toContain("postinstall");
      expect(result.findings.find((f) => f.ruleId.endsWith("typosquat"))!.message).toContain("lodash");
      // At most one registry request per added package.
      expect(local.npm.requests.length).toBeLessThanOrEqual(2);
    } finally {
      await local.close();
    }
  });
});

describe("when the data cannot be had", () => {
  const head = packageLock({ lodash: "^4.17.15" }, [{ name: "lodash", version: "4.17.15" }]);

  it("says OSV could not be reached and never reports the packages clean", async () => {
    await fakes.osv.setMode("down");
    try {
      const result = await scanDependencies([fileChange("package-lock.json", null, head)], {
        services: fakes.services,
        config: { checks: { dependencies: { registry_signals: false } } },
      });
      expect(result.outcomes[0]).toMatchObject({ status: "error" });
      expect(result.outcomes[0]?.message).toMatch(/known vulnerabilities of 1 package were not looked up: .*127\.0\.0\.1/);
      expect(result.verdict.conclusion).toBe("neutral");
      expect(result.verdict.title).not.toBe("No problems found");
    } finally {
      await fakes.osv.setMode("ok");
    }
  });

  it("says the lookup was skipped when the scan is offline without an OSV export", async () => {
    const result = await scanDependencies([fileChange("package-lock.json", null, head)], { offline: true });
    expect(result.outcomes[0]?.status).toBe("error");
    expect(result.outcomes[0]?.message).toContain("offline");
    expect(result.outcomes[0]?.message).toContain("OSV_DB_DIR");
  });

  it("names a lockfile that does not parse, with its line, and still judges the other files", async () => {
    const broken = '{\n  "lockfileVersion": 3,\n  "packages": {\n    "node_modules/x": { "version": }\n  }\n}\n';
    const evil = packageLock({}, [{ name: "evil-helper", version: "1.0.0" }]);
    const result = await scanDependencies([fileChange("package-lock.json", null, broken), fileChange("app/package-lock.json", null, evil)], {
      services: fakes.services,
      config: { checks: { dependencies: { registry_signals: false } } },
    });
    expect(result.outcomes[0]?.status).toBe("error");
    expect(result.outcomes[0]?.message).toContain("package-lock.json line 4");
    expect(result.findings.map((f) => f.ruleId)).toContain("dependencies/malicious-package");
  });
});
