/**
 * Source and lockfile integrity, known without any network (lockfile-lint's checks, and Socket's
 * git/URL dependency alerts):
 * - dependencies installed from git, an http(s) tarball or a local path instead of the registry;
 * - lockfile download URLs over plain http, on a host that is not the ecosystem's registry (nor an
 *   allowed mirror), or naming another package than the entry (the "lockfile injection" attack
 *   edits `resolved` and the hash together, and nobody reads lockfile diffs);
 * - registry entries without an integrity hash;
 * - entries the lockfile marks as running install scripts.
 * Known false positives: private registries and mirrors until they are listed in `allowed_hosts`.
 */
import { decodeUriOrKeep } from "../../core/decode-uri.js";
import { redactUrl } from "./redact-url.js";
import type { Dependency, DependencyFileKind, Ecosystem } from "./model.js";
import type { DependencyRuleId } from "./rules.js";

export interface IntegrityProblem {
  readonly ruleId: DependencyRuleId;
  readonly message: string;
  readonly severity?: "high";
}

/**
 * Each ecosystem's public registry hosts: lockfile URLs there need no configuration. Packagist
 * packages download from GitHub's archive API; Drupal's own Composer repository
 * (packages.drupal.org, every `drupal/*` module and theme) from ftp.drupal.org: every Drupal
 * site's lockfile is full of those, and what is published there is as vetted as a GitHub archive.
 */
export const REGISTRY_HOSTS: Readonly<Record<Ecosystem, readonly string[]>> = {
  npm: ["registry.npmjs.org", "registry.yarnpkg.com", "registry.npmjs.com"],
  PyPI: ["files.pythonhosted.org", "pypi.org", "pypi.python.org"],
  Go: ["proxy.golang.org"],
  "crates.io": ["index.crates.io", "static.crates.io", "crates.io"],
  RubyGems: ["rubygems.org", "index.rubygems.org"],
  Packagist: ["repo.packagist.org", "packagist.org", "api.github.com", "codeload.github.com", "ftp.drupal.org"],
  Maven: ["repo.maven.apache.org", "repo1.maven.org"],
  NuGet: ["api.nuget.org"],
};

export function integrityProblems(dependency: Dependency, fileKind: DependencyFileKind, allowedHosts: ReadonlySet<string>): IntegrityProblem[] {
  const problems: IntegrityProblem[] = [];
  const label = dependencyLabel(dependency);
  const source = dependency.source;
  if (source?.kind === "git") {
    problems.push({ ruleId: "git-dependency", message: `${label} is installed from git (${redactUrl(source.spec)}), not from the registry.` });
  } else if (source?.kind === "url") {
    const http = /^http:/i.test(source.spec);
    problems.push({
      ruleId: "url-dependency",
      message: `${label} is installed from a URL (${redactUrl(source.spec)}), not from the registry${http ? ", over plain http" : ""}.`,
      ...(http ? { severity: "high" as const } : {}),
    });
  } else if (source?.kind === "file") {
    problems.push({ ruleId: "local-dependency", message: `${label} is installed from a local path (${redactUrl(source.spec)}).` });
  }
  if (fileKind !== "lockfile") return problems;
  if (dependency.resolved && !source) problems.push(...resolvedProblems(dependency, label, allowedHosts));
  if (dependency.integrity === "" && !source) {
    problems.push({ ruleId: "missing-integrity", message: `The lockfile entry for ${label} has no integrity hash.` });
  } else if (dependency.ecosystem === "npm" && dependency.integrity && isWeakSri(dependency.integrity)) {
    problems.push({ ruleId: "weak-integrity", message: `The lockfile entry for ${label} is checked only with ${dependency.integrity.split("-")[0]!.toUpperCase()}.` });
  }
  if (dependency.hasInstallScript) {
    problems.push({ ruleId: "install-script", message: `${label} runs install scripts (the lockfile marks it \`hasInstallScript\`).` });
  }
  return problems;
}

function resolvedProblems(dependency: Dependency, label: string, allowedHosts: ReadonlySet<string>): IntegrityProblem[] {
  let url: URL;
  try {
    url = new URL(dependency.resolved!);
  } catch {
    return [];
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return [];
  const problems: IntegrityProblem[] = [];
  const shown = redactUrl(dependency.resolved!);
  if (url.protocol === "http:") {
    problems.push({ ruleId: "insecure-resolved-url", message: `The lockfile downloads ${label} over plain http (${shown}).` });
  }
  const host = url.host.toLowerCase();
  const registryHost = REGISTRY_HOSTS[dependency.ecosystem].includes(host);
  if (!registryHost && !allowedHosts.has(host) && !allowedHosts.has(url.hostname.toLowerCase())) {
    problems.push({
      ruleId: "untrusted-resolved-host",
      message: `The lockfile downloads ${label} from ${host}, which is not the ${dependency.ecosystem} registry nor in \`allowed_hosts\` (${shown}).`,
    });
  }
  if (dependency.ecosystem === "npm" && registryHost) {
    const named = npmTarballPackage(url.pathname);
    if (named !== undefined && named !== dependency.name) {
      problems.push({ ruleId: "resolved-name-mismatch", message: `The lockfile entry for ${label} downloads the package \`${named}\` (${shown}).` });
    }
  }
  return problems;
}

/**
 * The package a registry tarball URL names: `/lodash/-/lodash-4.17.21.tgz` is lodash,
 * `/@babel/core/-/core-7.0.0.tgz` is @babel/core. `undefined` for paths of another shape.
 */
export function npmTarballPackage(pathname: string): string | undefined {
  const match = /^\/((?:@[^/]+\/)?[^/@]+)\/-\/[^/]+\.tgz$/.exec(decodeUriOrKeep(pathname));
  return match?.[1];
}

/** An SRI string (`sha512-… sha1-…`) with no strong hash among its entries. */
function isWeakSri(integrity: string): boolean {
  const algorithms = integrity.trim().split(/\s+/).map((entry) => entry.split("-")[0]!.toLowerCase());
  return !algorithms.some((a) => a === "sha256" || a === "sha384" || a === "sha512") && algorithms.some((a) => a === "sha1" || a === "md5");
}

export function dependencyLabel(d: Pick<Dependency, "name" | "version" | "declaredName">): string {
  const alias = d.declaredName && d.declaredName !== d.name ? ` (as \`${d.declaredName}\`)` : "";
  return `\`${d.name}${d.version ? `@${d.version}` : ""}\`${alias}`;
}
