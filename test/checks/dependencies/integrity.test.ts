import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { integrityProblems } from "../../../src/checks/dependencies/integrity.js";
import type { Dependency } from "../../../src/checks/dependencies/model.js";
import { fileChange, scanDependencies } from "./harness.js";

// Regression tests for false alarms found on real lockfiles (Yarn 4 platform binaries, pnpm 10
// runtimes, Cargo private registries, npm 5.0 lockfiles, Drupal sites): small excerpts in each
// tool's format under test/fixtures/dependencies/<format>/real-style-*, scanned as a whole-file
// addition with the network sources off, so every finding is an integrity finding.
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/dependencies/${name}`, import.meta.url), "utf8");
const OFFLINE_RULES = { vulnerabilities: false, registry_signals: false };

async function findingsOf(fixtureName: string, path: string, options: Record<string, unknown> = {}) {
  const result = await scanDependencies([fileChange(path, null, fixture(fixtureName))], { config: { checks: { dependencies: { ...OFFLINE_RULES, ...options } } } });
  expect(result.outcomes.find((o) => o.checkId === "dependencies")).toMatchObject({ status: "ok", warnings: [] });
  return result.findings.map((f) => [f.ruleId.replace("dependencies/", ""), f.startLine]);
}

describe("integrity findings on real-style lockfiles", () => {
  it("Yarn Berry: platform binaries without a checksum are not missing-integrity; a plain registry entry without one still is", async () => {
    expect(await findingsOf("yarn-lock/real-style-berry-platform-binaries.yarn.lock", "yarn.lock")).toEqual([["missing-integrity", 68]]);
  });

  it("pnpm: a runtime is one url download (nodejs.org), not a registry entry without integrity", async () => {
    expect(await findingsOf("pnpm-lock/real-style-v9-runtime.pnpm-lock.yaml", "pnpm-lock.yaml")).toEqual([["url-dependency", 23]]);
  });

  it("Cargo: a private registry's crates are judged by their index host, and allowed_hosts clears them", async () => {
    const path = "Cargo.lock";
    const name = "cargo-lock/real-style-private-registries.Cargo.lock";
    expect(await findingsOf(name, path)).toEqual([
      ["untrusted-resolved-host", 13],
      ["untrusted-resolved-host", 19],
    ]);
    expect(await findingsOf(name, path, { allowed_hosts: ["cargo.cloudsmith.io", "artifactory.acme.example"] })).toEqual([]);
  });

  it("npm 5.0 lockfile: registry tarball URLs in version are registry packages (only their SHA-1 is reported); other URLs stay URL dependencies", async () => {
    expect(await findingsOf("package-lock/real-style-v1-npm5-tarball-versions.json", "package-lock.json")).toEqual([
      ["weak-integrity", 6],
      ["weak-integrity", 11],
      ["weak-integrity", 16],
      ["weak-integrity", 24],
      ["url-dependency", 31],
      ["weak-integrity", 31],
      ["url-dependency", 35],
    ]);
  });

  it("Composer: Drupal modules downloaded from ftp.drupal.org and Packagist packages from api.github.com are registry downloads", async () => {
    expect(await findingsOf("composer-lock/real-style-drupal-contrib.composer.lock", "composer.lock")).toEqual([]);
  });

  it("pyproject.toml: a Hatch {root:uri} reference is a local path (info), not a URL download", async () => {
    expect(await findingsOf("pyproject-toml/real-style-hatch-root-uri.toml", "pyproject.toml")).toEqual([["local-dependency", 5]]);
  });
});

describe("integrityProblems", () => {
  const composer = (resolved: string): Dependency => ({ ecosystem: "Packagist", name: "drupal/token", version: "1.13.0", line: 1, direct: true, resolved });

  it("accepts Drupal's archive host for Packagist packages but not for another ecosystem", () => {
    expect(integrityProblems(composer("https://ftp.drupal.org/files/projects/token-8.x-1.13.zip"), "lockfile", new Set())).toEqual([]);
    expect(integrityProblems(composer("https://ftp.drupal.org.evil.example/token.zip"), "lockfile", new Set()).map((p) => p.ruleId)).toEqual(["untrusted-resolved-host"]);
    const npm: Dependency = { ecosystem: "npm", name: "token", version: "1.0.0", line: 1, direct: true, resolved: "https://ftp.drupal.org/token-1.0.0.tgz", integrity: "sha512-x" };
    expect(integrityProblems(npm, "lockfile", new Set()).map((p) => p.ruleId)).toEqual(["untrusted-resolved-host"]);
  });
});
