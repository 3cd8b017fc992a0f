/**
 * Every rule of the dependencies check, as data: id, title, default severity, default confidence,
 * the risk in one line (docs and "why it matters") and the fix. The docs table is generated from it.
 */
import type { Confidence, RuleMeta } from "../../core/types.js";

export interface DependencyRule extends RuleMeta {
  readonly confidence: Confidence;
  /** What data the rule needs: `none` (the lockfile alone), `osv`, `npm-registry`. */
  readonly data: "none" | "osv" | "npm-registry";
  readonly remediation: string;
}

const rule = (r: DependencyRule) => r;

export const DEPENDENCY_RULES = [
  rule({
    id: "vulnerable-dependency",
    title: "Dependency with known vulnerabilities",
    description: "The version this change adds or moves to is affected by published advisories (OSV: GitHub, PyPA, RustSec, Go, …); attackers scan for exactly these versions.",
    severity: "high",
    confidence: "high",
    data: "osv",
    remediation: "Move to the fixed version named here (or later); if no fix exists, choose another package or accept the risk with an allowlist entry and a reason.",
  }),
  rule({
    id: "malicious-package",
    title: "Known malicious package",
    description: "OSV lists this package version as malware (a MAL- record): installing it runs an attacker's code on developer machines and in CI.",
    severity: "critical",
    confidence: "high",
    data: "osv",
    remediation: "Remove the dependency. If it was ever installed, treat it as an incident: rotate every secret the machines that installed it could reach.",
  }),
  rule({
    id: "typosquat",
    title: "Name one typo away from a popular package",
    description: "A new dependency whose name is a small transformation of a popular package's name; typosquats copy the real package and add a payload.",
    severity: "high",
    confidence: "medium",
    data: "none",
    remediation: "Check that you meant this package and not the popular one named here; fix the name if it is a typo.",
  }),
  rule({
    id: "install-script",
    title: "Package runs scripts at install",
    description: "The package runs preinstall/install/postinstall scripts: code that runs with the installing user's rights before anyone reviews it; most npm malware hides there.",
    severity: "medium",
    confidence: "medium",
    data: "none",
    remediation: "Review the script; install with scripts disabled (`npm ci --ignore-scripts`, pnpm's default) where the package works without it.",
  }),
  rule({
    id: "new-release",
    title: "Version published very recently",
    description: "Hijacked and malicious versions are usually found and pulled within days; a version younger than `min_release_age_days` has had no time to be looked at.",
    severity: "medium",
    confidence: "medium",
    data: "npm-registry",
    remediation: "Wait until the version is older than the configured minimum age, or pin the previous version.",
  }),
  rule({
    id: "deprecated-version",
    title: "Deprecated version",
    description: "The maintainers deprecated this version, often because it is broken or insecure.",
    severity: "low",
    confidence: "high",
    data: "npm-registry",
    remediation: "Move to a version that is not deprecated; the deprecation message says which.",
  }),
  rule({
    id: "publisher-changed",
    title: "Published by someone else than the previous version",
    description: "A different account published this version than the one before it: the sign of a new maintainer or of a stolen publishing token.",
    severity: "medium",
    confidence: "low",
    data: "npm-registry",
    remediation: "Check the package's repository and changelog for the maintainer change before taking this version.",
  }),
  rule({
    id: "version-not-in-registry",
    title: "Version the registry does not have",
    description: "The lockfile names a version the registry does not list (unpublished, or never published there): the install will fetch it from elsewhere or fail.",
    severity: "medium",
    confidence: "medium",
    data: "npm-registry",
    remediation: "Regenerate the lockfile against the registry, and find out where this version came from.",
  }),
  rule({
    id: "license-not-allowed",
    title: "Licence outside the allowed list",
    description: "The package's licence is denied by, or not in, `checks.dependencies.licenses`.",
    severity: "medium",
    confidence: "high",
    data: "npm-registry",
    remediation: "Choose a package under an allowed licence, or ask whoever owns the licence policy to allow this one.",
  }),
  rule({
    id: "license-missing",
    title: "Package without a licence",
    description: "The package declares no licence (or `UNLICENSED`): without one, nobody may use it; checked only when a licence policy is configured.",
    severity: "low",
    confidence: "medium",
    data: "npm-registry",
    remediation: "Choose another package, or get the author's licence in writing.",
  }),
  rule({
    id: "git-dependency",
    title: "Dependency installed from a git repository",
    description: "Git dependencies bypass the registry: no integrity hash, no advisories, and a branch or tag can be moved to other code at any time.",
    severity: "medium",
    confidence: "high",
    data: "none",
    remediation: "Depend on a published registry version; if you must use git, pin a full commit SHA.",
  }),
  rule({
    id: "url-dependency",
    title: "Dependency installed from a URL",
    description: "A tarball URL bypasses the registry and its advisories; whoever controls the URL decides what is installed (over plain http, anyone on the path does).",
    severity: "medium",
    confidence: "high",
    data: "none",
    remediation: "Depend on a published registry version instead of a URL.",
  }),
  rule({
    id: "local-dependency",
    title: "Dependency from a local path",
    description: "A `file:` or path dependency installs whatever is at that path; normal inside a monorepo, risky when it points at a tarball nobody reviews.",
    severity: "info",
    confidence: "low",
    data: "none",
    remediation: "Make sure the path is part of this repository and reviewed like its code.",
  }),
  rule({
    id: "insecure-resolved-url",
    title: "Lockfile downloads over plain http",
    description: "A lockfile entry resolves to an `http://` URL: anyone on the network path can swap the package.",
    severity: "high",
    confidence: "high",
    data: "none",
    remediation: "Regenerate the lockfile with an https registry.",
  }),
  rule({
    id: "untrusted-resolved-host",
    title: "Lockfile downloads from an unexpected host",
    description: "A lockfile entry resolves to a host that is not the ecosystem's registry nor in `allowed_hosts`: the lockfile-injection attack edits `resolved` (and the hash) to point at an attacker's copy.",
    severity: "high",
    confidence: "high",
    data: "none",
    remediation: "Regenerate the lockfile from the registry; if the host is your own mirror, add it to `checks.dependencies.allowed_hosts`.",
  }),
  rule({
    id: "resolved-name-mismatch",
    title: "Lockfile entry downloads a different package",
    description: "The `resolved` URL names another package than the entry: a lockfile edited to install something else under a trusted name.",
    severity: "high",
    confidence: "high",
    data: "none",
    remediation: "Regenerate the lockfile and find out who edited the entry.",
  }),
  rule({
    id: "missing-integrity",
    title: "Lockfile entry without an integrity hash",
    description: "Without a hash the package manager cannot tell that what it downloads is what was locked.",
    severity: "medium",
    confidence: "high",
    data: "none",
    remediation: "Regenerate the lockfile so that every registry entry carries its hash.",
  }),
  rule({
    id: "weak-integrity",
    title: "Lockfile entry with only a weak hash",
    description: "The entry's integrity is SHA-1 (or MD5) only: a hash that can be collided no longer proves the download is what was locked.",
    severity: "medium",
    confidence: "high",
    data: "none",
    remediation: "Regenerate the lockfile with a current package manager, which records sha512 hashes.",
  }),
] as const satisfies readonly DependencyRule[];

export type DependencyRuleId = (typeof DEPENDENCY_RULES)[number]["id"];

export const RULES_BY_ID: ReadonlyMap<string, DependencyRule> = new Map(DEPENDENCY_RULES.map((r) => [r.id, r]));

export function ruleOf(id: DependencyRuleId): DependencyRule {
  return RULES_BY_ID.get(id)!;
}
