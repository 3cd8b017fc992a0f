/**
 * The dependencies check: every dependency a change adds or changes, judged for known
 * vulnerabilities, malware and supply-chain risk, on the line that declares it.
 *
 * Threat: a vulnerable or malicious package enters through one line of a manifest or lockfile
 * that nobody reads (lockfile diffs are thousands of lines). Data: the manifests and lockfiles at
 * base and head (their delta is what is judged), OSV (API or offline export) for advisories and
 * MAL- malware records, the npm registry for install scripts, release age, deprecation, publisher
 * and licence, the popular-package list for typosquats. Known false positives: private registries
 * until they are in `allowed_hosts`; typosquat candidates that are real, unpopular packages.
 *
 * What it could not look at (OSV down, a lockfile that does not parse, `--offline`) makes the
 * outcome an error through `incomplete`, so the verdict follows `on_error`: it never says "no
 * vulnerabilities" for what it did not look up.
 */
import { defineCheck, type CheckContext, type FindingDraft } from "../../core/types.js";
import type { OsvRecord } from "../../services/osv/osv-record.js";
import { advisoriesFor, describeAdvisory, versionFixingAll, worstSeverity, type PackageAdvisories } from "./advisories.js";
import { collectChanges, type Place } from "./collect-changes.js";
import { dependencyLabel, integrityProblems } from "./integrity.js";
import { evaluateLicense } from "./license.js";
import { npmSignals, type NpmSignal } from "./npm-signals.js";
import { dependenciesOptionsSchema, type DependenciesOptions } from "./options.js";
import { DEPENDENCY_RULES, ruleOf, type DependencyRuleId } from "./rules.js";
import type { NpmPackageInfo } from "./services.js";
import { suggestFixedLine } from "./suggestion.js";
import type { TyposquatMatch } from "./typosquat.js";
import { versionOrdering } from "./versions/index.js";
import { judgedPackages, placeOf, type JudgedPackage } from "./judged-packages.js";
import { trustedMarkdown } from "../../core/trusted-markdown.js";

export const dependenciesCheck = defineCheck({
  meta: {
    id: "dependencies",
    title: "Risky dependencies",
    description:
      "Judges every dependency a change adds or changes (manifests and lockfiles of npm, PyPI, Go, Cargo, RubyGems, Composer, Maven, NuGet): known vulnerabilities and malware (OSV), install scripts, new releases, typosquats, licences, git/URL sources and lockfile integrity.",
    defaultSeverity: "high",
    tags: ["security", "dependencies", "supply-chain"],
    // Each rule's risk and fix are this repository's own words: trusted Markdown.
    rules: DEPENDENCY_RULES.map(({ id, title, description, severity, remediation }) => ({
      id,
      title,
      description,
      severity,
      ...(description ? { risk: trustedMarkdown(description) } : {}),
      fix: trustedMarkdown(remediation),
    })),
    services: ["vulnerabilities", "npmRegistry"],
  },
  optionsSchema: dependenciesOptionsSchema,
  run: runDependenciesCheck,
});

type Ctx = CheckContext<DependenciesOptions>;

async function runDependenciesCheck(ctx: Ctx) {
  const collected = await collectChanges(ctx);
  const { deltas, incomplete, warnings } = collected;
  const findings: FindingDraft[] = [];
  const allowedHosts = new Set(ctx.options.allowed_hosts.map((h) => h.toLowerCase()));

  // Integrity: every changed entry, new version or not; known without the network.
  for (const delta of deltas) {
    for (const change of delta.changes) {
      for (const problem of integrityProblems(change.dependency, delta.format.kind, allowedHosts)) {
        findings.push(draftFor(problem.ruleId, placeOf(delta, change.dependency), problem.message, { severity: problem.severity }));
      }
    }
  }

  const packages = judgedPackages(deltas, warnings);
  if (packages.length > 0) {
    const npm = packages.filter((p) => p.query.ecosystem === "npm" && !p.primary.dependency.source);
    // OSV and the registry are independent sources: asked at the same time, reported in a fixed order.
    const osvGaps: string[] = [];
    const registryGaps: string[] = [];
    const infos = new Map<string, NpmPackageInfo | null>();
    const [advisories, signals] = await Promise.all([
      ctx.options.vulnerabilities ? vulnerabilityFindings(ctx, packages, osvGaps, warnings) : [],
      ctx.options.registry_signals && npm.length > 0 ? registryFindings(ctx, npm, registryGaps, infos) : [],
    ]);
    if (ctx.options.typosquats && npm.length > 0) {
      // The popular-name list is 400 KB of source: loaded only by a scan that adds npm packages.
      const { findTyposquatTarget } = await import("./typosquat.js");
      findings.push(...typosquatFindings(npm, collected.npmNamesAtBase, ctx.options.registry_signals ? infos : undefined, findTyposquatTarget));
    }
    findings.push(...advisories, ...signals);
    incomplete.push(...osvGaps, ...registryGaps);
  }
  ctx.logger.debug({ files: deltas.length, packages: packages.length, findings: findings.length }, "dependencies judged");
  return { findings: dedupe(findings), warnings, incomplete };
}

interface DraftExtras {
  readonly severity?: FindingDraft["severity"];
  readonly remediation?: string;
  readonly key?: string;
  readonly suggestion?: string;
  readonly properties?: FindingDraft["properties"];
  /** The version judged, when the place names a range (a manifest line tied to its lockfile's version). */
  readonly version?: string;
  readonly confidence?: FindingDraft["confidence"];
}

function draftFor(ruleId: DependencyRuleId, place: Place, message: string, extras: DraftExtras = {}): FindingDraft {
  const rule = ruleOf(ruleId);
  const d = place.dependency;
  const version = extras.version ?? d.version;
  return {
    ruleId,
    path: place.path,
    startLine: place.line,
    message,
    remediation: extras.remediation ?? rule.remediation,
    confidence: extras.confidence ?? rule.confidence,
    ...(extras.severity ? { severity: extras.severity } : {}),
    // A package and version, not the line's text: the finding keeps its fingerprint when lines move.
    fingerprintKey: `${d.ecosystem}:${d.name}@${version ?? d.requirement ?? d.source?.spec ?? ""}${extras.key ? `:${extras.key}` : ""}`,
    properties: { ecosystem: d.ecosystem, package: d.name, ...(version ? { version } : {}), ...extras.properties },
    ...(extras.suggestion !== undefined ? { suggestion: extras.suggestion } : {}),
  };
}

/** A package as judged: its name and the version looked up (a manifest line may only name a range). */
function packageLabel(pkg: JudgedPackage): string {
  return dependencyLabel({ ...pkg.primary.dependency, version: pkg.query.version });
}

/**
 * One finding per rule, place and key: a package listed twice on one line (several patterns) counts
 * once. Install scripts are said once per package version: the registry's finding (which quotes the
 * script) wins over the lockfile's `hasInstallScript` flag.
 */
function dedupe(findings: readonly FindingDraft[]): FindingDraft[] {
  const packageOf = (f: FindingDraft) => `${f.properties?.ecosystem}:${f.properties?.package}@${f.properties?.version}`;
  const scriptsFromRegistry = new Set(findings.filter((f) => f.ruleId === "install-script" && f.fingerprintKey?.endsWith(":scripts")).map(packageOf));
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (f.ruleId === "install-script" && !f.fingerprintKey?.endsWith(":scripts") && scriptsFromRegistry.has(packageOf(f))) return false;
    const key = `${f.ruleId}\u0000${f.path}\u0000${f.startLine}\u0000${f.fingerprintKey}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function vulnerabilityFindings(ctx: Ctx, packages: readonly JudgedPackage[], incomplete: string[], warnings: string[]): Promise<FindingDraft[]> {
  const lookup = ctx.services.vulnerabilities;
  if (!lookup) {
    incomplete.push(
      ctx.offline
        ? `known vulnerabilities of ${count(packages.length, "package")} were not looked up: the scan is offline and no offline OSV export is set (OSV_DB_DIR)`
        : `known vulnerabilities of ${count(packages.length, "package")} were not looked up: no OSV client is configured`,
    );
    return [];
  }
  const isLookable = (p: JudgedPackage) => versionOrdering(p.query.ecosystem).isValid(p.query.version);
  const lookable = packages.filter(isLookable);
  const invalid = packages.length - lookable.length;
  if (invalid > 0) {
    const first = packages.find((p) => !isLookable(p))!;
    warnings.push(`${count(invalid, "dependency", "dependencies")} have versions that are not valid for their ecosystem (e.g. ${dependencyLabel(first.primary.dependency)}) and were not looked up`);
  }
  if (lookable.length === 0) return [];
  let answers: readonly (readonly OsvRecord[])[];
  try {
    answers = await lookup.lookup(
      lookable.map((p) => p.query),
      ctx.signal,
    );
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    incomplete.push(`known vulnerabilities of ${count(lookable.length, "package")} were not looked up: ${error.message}`);
    return [];
  }
  const findings: FindingDraft[] = [];
  lookable.forEach((pkg, index) => {
    const advisories = advisoriesFor(pkg.query, answers[index] ?? []);
    findings.push(...advisoryFindings(pkg, advisories));
  });
  return findings;
}

function advisoryFindings(pkg: JudgedPackage, advisories: PackageAdvisories): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const label = packageLabel(pkg);
  if (advisories.malware.length > 0) {
    const ids = advisories.malware.map((a) => a.id).join(", ");
    for (const place of pkg.places) {
      findings.push(
        draftFor("malicious-package", place, `${label} is a known malicious package (${ids})${advisories.malware[0]!.summary ? `: ${advisories.malware[0]!.summary}` : ""}.`, {
          severity: "critical",
          key: ids,
          version: pkg.query.version,
          properties: { advisories: ids },
        }),
      );
    }
  }
  const vulns = advisories.vulnerabilities;
  if (vulns.length === 0) return findings;
  const fixed = versionFixingAll(pkg.query.ecosystem, vulns);
  const shown = vulns.slice(0, 5).map(describeAdvisory).join("; ");
  const more = vulns.length > 5 ? `; and ${vulns.length - 5} more` : "";
  const fixText = fixed ? ` Fixed in ${fixed}.` : vulns.some((v) => v.fixed) ? " Not every advisory has a fixed version." : " No fixed version is known.";
  const ids = vulns.map((v) => v.id).join(",");
  for (const place of pkg.places) {
    const dev = place.dependency.dev ? " (development dependency)" : "";
    const message = `${label}${dev} has ${count(vulns.length, "known vulnerability", "known vulnerabilities")}: ${shown}${more}.${fixText}`;
    const suggestion = fixed && place.format.kind === "manifest" ? suggestionFor(place, fixed) : undefined;
    findings.push(
      draftFor("vulnerable-dependency", place, message, {
        severity: worstSeverity(vulns),
        remediation: remediationFor(pkg, place, fixed),
        key: ids,
        version: pkg.query.version,
        suggestion,
        properties: { advisories: ids, ...(fixed ? { fixed_version: fixed } : {}), change: pkg.kind, ...(pkg.from ? { from_version: pkg.from } : {}) },
      }),
    );
  }
  return findings;
}

function suggestionFor(place: Place, fixed: string): string | undefined {
  const text = place.lineText?.(place.line);
  // A hash-pinned requirement needs its hashes regenerated: a one-click version bump would break it.
  if (text === undefined || /--hash[=\s]/.test(text)) return undefined;
  return suggestFixedLine(text, place.dependency.requirement, fixed);
}

function remediationFor(pkg: JudgedPackage, place: Place, fixed: string | undefined): string {
  const name = `\`${pkg.query.name}\``;
  const target = fixed ? `${fixed} or later` : "a version without these advisories, or replace it";
  if (place.format.kind === "manifest") return `Change ${name} to ${target}, then update the lockfile.`;
  const d = place.dependency;
  if (d.direct) return `Upgrade the direct dependency ${name} to ${target} in its manifest and regenerate ${place.path}.`;
  const parents = d.requiredBy && d.requiredBy.length > 0 ? `; it is pulled in by ${d.requiredBy.map((p) => `\`${p}\``).join(", ")}` : "";
  return `Upgrade ${name} to ${target}${parents}: upgrade that dependency, or force the version with npm \`overrides\`, yarn \`resolutions\` or your ecosystem's equivalent, and regenerate ${place.path}.`;
}

/**
 * A package published for years, in many versions, is not a fresh typosquat even when its name is
 * one typo from a popular one (`leftpad`, `mailgun-js`, `fresh-import` are real): with registry data
 * such packages are not reported; without it (offline) candidates are reported at low confidence,
 * in the summary only.
 */
const ESTABLISHED_DAYS = 365;
const ESTABLISHED_VERSIONS = 5;

function isEstablished(info: NpmPackageInfo, now: number): boolean {
  const times = info.versions.map((v) => (v.published ? Date.parse(v.published) : NaN)).filter((t) => !Number.isNaN(t));
  if (times.length < ESTABLISHED_VERSIONS) return false;
  return now - Math.min(...times) > ESTABLISHED_DAYS * 24 * 3600 * 1000;
}

function typosquatFindings(
  npm: readonly JudgedPackage[],
  namesAtBase: ReadonlySet<string>,
  infos: ReadonlyMap<string, NpmPackageInfo | null> | undefined,
  findTyposquatTarget: (name: string) => TyposquatMatch | undefined,
): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const now = Date.now();
  for (const pkg of npm) {
    if (pkg.kind !== "added" || namesAtBase.has(pkg.query.name)) continue;
    const hit = findTyposquatTarget(pkg.query.name);
    if (!hit) continue;
    const info = infos?.get(pkg.query.name);
    if (info && isEstablished(info, now)) continue;
    findings.push(
      draftFor("typosquat", pkg.primary, `\`${pkg.query.name}\` is new here and its name is one typo away from the popular package \`${hit.target}\` (${hit.how}).`, {
        key: hit.target,
        version: pkg.query.version,
        properties: { looks_like: hit.target },
        ...(info === undefined ? { confidence: "low" as const } : {}),
      }),
    );
  }
  return findings;
}

const MAX_REGISTRY_PACKAGES = 2000;

async function registryFindings(ctx: Ctx, npm: readonly JudgedPackage[], incomplete: string[], infos: Map<string, NpmPackageInfo | null>): Promise<FindingDraft[]> {
  const registry = ctx.services.npmRegistry;
  if (!registry) {
    incomplete.push(
      `npm registry signals (install scripts, release age, deprecation, publisher, licence) of ${count(npm.length, "package")} were not checked: ${
        ctx.offline ? "the scan is offline" : "no npm registry client is configured"
      }`,
    );
    return [];
  }
  const judged = npm.slice(0, MAX_REGISTRY_PACKAGES);
  if (npm.length > judged.length) incomplete.push(`npm registry signals were checked for the first ${MAX_REGISTRY_PACKAGES} of ${npm.length} changed npm packages only`);
  const names = [...new Set(judged.map((p) => p.query.name))];
  const failures: string[] = [];
  // One request per package name; the client bounds how many run at once.
  await Promise.all(
    names.map(async (name) => {
      try {
        infos.set(name, await registry.packageInfo(name, ctx.signal));
      } catch (error) {
        failures.push((error as Error).message);
      }
    }),
  );
  if (failures.length > 0) {
    incomplete.push(`npm registry signals of ${count(failures.length, "package")} could not be read: ${failures[0]}`);
  }
  const now = new Date();
  const findings: FindingDraft[] = [];
  for (const pkg of judged) {
    const info = infos.get(pkg.query.name);
    if (info === undefined) continue;
    if (info === null) {
      findings.push(
        draftFor("version-not-in-registry", pkg.primary, `${packageLabel(pkg)} is not on the npm registry at all: if it comes from a private registry, a public package of that name would be installed instead (dependency confusion).`, {
          version: pkg.query.version,
        }),
      );
      continue;
    }
    const signals = npmSignals(info, { from: pkg.from, to: pkg.query.version }, { now, minReleaseAgeDays: ctx.options.min_release_age_days });
    for (const signal of signals) {
      const finding = signalFinding(pkg, signal, ctx.options);
      if (finding) findings.push(finding);
    }
    const license = licenseFinding(pkg, info, ctx.options);
    if (license) findings.push(license);
  }
  return findings;
}

function signalFinding(pkg: JudgedPackage, signal: NpmSignal, options: DependenciesOptions): FindingDraft | undefined {
  const label = packageLabel(pkg);
  const draft = (ruleId: DependencyRuleId, place: Place, message: string, extras: DraftExtras = {}) => draftFor(ruleId, place, message, { version: pkg.query.version, ...extras });
  switch (signal.kind) {
    case "version-not-in-registry":
      return draft("version-not-in-registry", pkg.primary, `The npm registry does not list ${label}${signal.latestListed ? ` (its newest version is ${signal.latestListed})` : ""}.`);
    case "install-scripts": {
      if (!signal.isNew) return undefined;
      const scripts = signal.scripts.filter((s) => s.status !== "unchanged").map((s) => `\`${s.name}\`: ${s.preview}`).join("; ");
      const compared = signal.comparedWith ? ` (new or changed since ${signal.comparedWith})` : "";
      return draft("install-script", pkg.primary, `${label} runs install scripts${compared}: ${scripts}.`, { key: "scripts" });
    }
    case "release-age":
      if (options.min_release_age_days === 0) return undefined;
      return draft(
        "new-release",
        pkg.primary,
        `${label} was published ${signal.ageDays === 0 ? "less than a day" : count(signal.ageDays, "day")} ago (${signal.published.slice(0, 10)}), less than the ${options.min_release_age_days} days \`min_release_age_days\` asks for.`,
      );
    case "deprecated":
      return draft("deprecated-version", pkg.primary, `${label} is deprecated: ${signal.message}`);
    case "publisher-change":
      return draft(
        "publisher-changed",
        pkg.primary,
        `${label} was published by \`${signal.publisher}\`, ${signal.previousVersion} by \`${signal.previousPublisher}\`${signal.firstPublishByUser ? `; it is the first version \`${signal.publisher}\` published` : ""}.`,
        { key: signal.publisher },
      );
  }
}

function licenseFinding(pkg: JudgedPackage, info: NpmPackageInfo, options: DependenciesOptions): FindingDraft | undefined {
  const policy = options.licenses;
  if (policy.allow.length === 0 && policy.deny.length === 0) return undefined;
  const version = info.versions.find((v) => v.version === pkg.query.version);
  if (!version) return undefined;
  const verdict = evaluateLicense(version.license, { allow: policy.allow, deny: policy.deny });
  if (verdict.ok) return undefined;
  const label = packageLabel(pkg);
  if (verdict.reason === "missing") return draftFor("license-missing", pkg.primary, `${label} declares no licence: ${verdict.detail}`, { version: pkg.query.version });
  return draftFor("license-not-allowed", pkg.primary, `${label} is licensed ${verdict.detail}`, { key: version.license ?? "", version: pkg.query.version });
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
