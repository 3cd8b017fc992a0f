/**
 * Shared pieces of the dependencies tests: OSV records written for these tests (real advisory ids,
 * our own words), npm lockfile and manifest builders, the loopback fakes of OSV and the npm
 * registry wired through the real `createServices`, and a scan through the real engine.
 */
import pino from "pino";
import { dependenciesCheck } from "../../../src/checks/dependencies/index.js";
import { configFromObject } from "../../../src/core/config/load-config.js";
import { runScan, type ScanInput } from "../../../src/core/engine.js";
import type { ChangedFile, ScanResult, Services } from "../../../src/core/types.js";
import { createServices } from "../../../src/services/create-services.js";
import type { OsvRecord } from "../../../src/services/osv/osv-record.js";
import { servicesEnvFrom } from "../../../src/services/services-env.js";
import { startFakeNpmRegistry, packument, type FakeNpmRegistry, type Packument } from "../../helpers/fake-npm-registry.js";
import { startFakeOsv, type FakeOsv } from "../../helpers/fake-osv.js";

const semverRange = (introduced: string, fixed: string) => [{ type: "SEMVER", events: [{ introduced }, { fixed }] }];

export const LODASH_ADVISORIES: OsvRecord[] = [
  {
    id: "GHSA-p6mc-m468-83gw",
    modified: "2024-03-01T00:00:00Z",
    aliases: ["CVE-2020-8203"],
    summary: "Prototype pollution in lodash zipObjectDeep",
    affected: [{ package: { ecosystem: "npm", name: "lodash" }, ranges: semverRange("3.7.0", "4.17.19") }],
    database_specific: { severity: "HIGH" },
  },
  {
    id: "GHSA-35jh-r3h4-6jhm",
    modified: "2024-03-01T00:00:00Z",
    aliases: ["CVE-2021-23337"],
    summary: "Command injection through lodash template",
    affected: [{ package: { ecosystem: "npm", name: "lodash" }, ranges: semverRange("0", "4.17.21") }],
    database_specific: { severity: "HIGH" },
  },
];

export const MALWARE_RECORD: OsvRecord = {
  id: "MAL-2025-1234",
  modified: "2025-05-01T00:00:00Z",
  summary: "Malicious code in evil-helper (npm)",
  affected: [{ package: { ecosystem: "npm", name: "evil-helper" }, versions: ["1.0.0"] }],
};

export const OLD_DATE = "2020-01-01T00:00:00.000Z";

export function defaultPackuments(): Packument[] {
  return [
    packument("lodash", ["4.17.15", "4.17.19", "4.17.20", "4.17.21"].map((version) => ({ version, published: OLD_DATE, publisher: "jdalton", license: "MIT" }))),
    packument("ms", [{ version: "2.1.3", published: OLD_DATE, publisher: "styfle", license: "MIT" }]),
    packument("evil-helper", [{ version: "1.0.0", published: OLD_DATE, publisher: "someone", license: "MIT" }]),
  ];
}

export interface DependencyFakes {
  readonly osv: FakeOsv;
  readonly npm: FakeNpmRegistry;
  readonly services: Services;
  close(): Promise<void>;
}

export async function startDependencyFakes(records: readonly OsvRecord[] = [...LODASH_ADVISORIES, MALWARE_RECORD], packuments = defaultPackuments()): Promise<DependencyFakes> {
  const osv = await startFakeOsv(records);
  const npm = await startFakeNpmRegistry(packuments);
  const services = createServices(servicesEnvFrom({ OSV_API_URL: osv.url, NPM_REGISTRY_URL: npm.url }), { offline: false });
  return { osv, npm, services, close: async () => void (await Promise.all([osv.close(), npm.close()])) };
}

export interface LockPackage {
  readonly name: string;
  readonly version: string;
  readonly key?: string;
  readonly resolved?: string;
  readonly integrity?: string | null;
  readonly hasInstallScript?: boolean;
  readonly dev?: boolean;
  readonly extra?: Record<string, unknown>;
}

/** A package-lock.json v3 as npm writes it (2-space indent), with the root's direct dependencies. */
export function packageLock(direct: Record<string, string>, packages: readonly LockPackage[]): string {
  const entries: Record<string, unknown> = { "": { name: "app", version: "1.0.0", dependencies: direct } };
  for (const p of packages) {
    const bare = p.name.includes("/") ? p.name.slice(p.name.indexOf("/") + 1) : p.name;
    entries[p.key ?? `node_modules/${p.name}`] = {
      version: p.version,
      resolved: p.resolved ?? `https://registry.npmjs.org/${p.name}/-/${bare}-${p.version}.tgz`,
      ...(p.integrity === null ? {} : { integrity: p.integrity ?? `sha512-${Buffer.from(`${p.name}@${p.version}`).toString("base64")}` }),
      ...(p.dev ? { dev: true } : {}),
      ...(p.hasInstallScript ? { hasInstallScript: true } : {}),
      ...p.extra,
    };
  }
  return `${JSON.stringify({ name: "app", version: "1.0.0", lockfileVersion: 3, requires: true, packages: entries }, null, 2)}\n`;
}

export function packageJson(dependencies: Record<string, string>, devDependencies: Record<string, string> = {}): string {
  return `${JSON.stringify({ name: "app", version: "1.0.0", dependencies, ...(Object.keys(devDependencies).length ? { devDependencies } : {}) }, null, 2)}\n`;
}

/** A changed file whose added lines are exactly the lines of head that base does not have. */
export function fileChange(path: string, base: string | null, head: string | null, extra: Partial<ChangedFile> = {}): ChangedFile {
  const headLines = head === null ? [] : head.split("\n");
  const baseCounts = new Map<string, number>();
  for (const line of base === null ? [] : base.split("\n")) baseCounts.set(line, (baseCounts.get(line) ?? 0) + 1);
  const added = headLines.flatMap((text, i) => {
    const left = baseCounts.get(text) ?? 0;
    if (left > 0) {
      baseCounts.set(text, left - 1);
      return [];
    }
    return [{ line: i + 1, text }];
  });
  return {
    path,
    status: head === null ? "removed" : base === null ? "added" : "modified",
    binary: false,
    patchMissing: false,
    addedLines: added,
    commentableLines: new Set(added.map((l) => l.line)),
    readHead: async () => head,
    readBase: async () => base,
    ...extra,
  };
}

export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index === -1) throw new Error(`${needle} not in text`);
  return index + 1;
}

export async function scanDependencies(
  files: readonly ChangedFile[],
  options: { services?: Services; config?: Record<string, unknown>; offline?: boolean; readFileAtHead?: ScanInput["readFileAtHead"] } = {},
): Promise<ScanResult> {
  const checks = [dependenciesCheck];
  return runScan({
    files,
    checks,
    config: configFromObject(options.config ?? {}, "test", checks),
    logger: pino({ level: "silent" }),
    services: options.services ?? {},
    offline: options.offline ?? false,
    readFileAtHead: options.readFileAtHead,
  });
}
