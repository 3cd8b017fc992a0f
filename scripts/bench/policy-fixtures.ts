/**
 * The labelled fixtures of `npm run bench:policy`: test/fixtures/policy/bench/<domain>/{safe,unsafe}/.
 * A safe file is labelled "no finding"; an unsafe file has a sidecar `<file>.expected.json` listing
 * every finding it must give (`[{ "rule": "<audit id>", "line": N }]`) and no others. Fixtures are
 * stored under plain names; each is scanned at the repository path its domain expects
 * (`.github/workflows/x.yml`, `x/Dockerfile`, `deploy/x.yaml`, `infra/x.tf`), so the domains' own
 * path rules decide, as in a real pull request.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const BENCH_DOMAINS = ["workflows", "dockerfile", "kubernetes", "terraform"] as const;
export type BenchDomain = (typeof BENCH_DOMAINS)[number];

export interface Label {
  readonly rule: string;
  readonly line: number;
}

export interface LabelledFixture {
  readonly domain: BenchDomain;
  readonly safe: boolean;
  /** Path under the fixture root, for the report. */
  readonly fixture: string;
  /** Where the file sits in the scanned repository. */
  readonly repoPath: string;
  readonly text: string;
  readonly expected: readonly Label[];
}

const labelsSchema = z.array(z.strictObject({ rule: z.string().regex(/^[a-z0-9-]+$/), line: z.number().int().positive() }));

/** `notify.action.yml` is a composite action: `.github/actions/notify/action.yml`. */
function repoPathOf(domain: BenchDomain, name: string): string {
  switch (domain) {
    case "workflows":
      return name.endsWith(".action.yml") ? `.github/actions/${name.slice(0, -".action.yml".length)}/action.yml` : `.github/workflows/${name}`;
    case "dockerfile":
      return `${name.replace(/\.Dockerfile$/, "")}/Dockerfile`;
    case "kubernetes":
      return `deploy/${name}`;
    case "terraform":
      return `infra/${name.replace(/\.tf$/, "")}/main.tf`;
  }
}

export function loadLabelledFixtures(root: string): LabelledFixture[] {
  const fixtures: LabelledFixture[] = [];
  for (const domain of BENCH_DOMAINS) {
    for (const kind of ["safe", "unsafe"] as const) {
      const dir = join(root, domain, kind);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir).sort()) {
        if (name.endsWith(".expected.json")) continue;
        const sidecar = join(dir, `${name}.expected.json`);
        const fixture = `${domain}/${kind}/${name}`;
        if (kind === "unsafe" && !existsSync(sidecar)) throw new Error(`${fixture}: an unsafe fixture needs ${name}.expected.json`);
        if (kind === "safe" && existsSync(sidecar)) throw new Error(`${fixture}: a safe fixture has no labels`);
        const expected = kind === "unsafe" ? labelsSchema.parse(JSON.parse(readFileSync(sidecar, "utf8"))) : [];
        fixtures.push({ domain, safe: kind === "safe", fixture, repoPath: repoPathOf(domain, name), text: readFileSync(join(dir, name), "utf8"), expected });
      }
    }
  }
  return fixtures;
}
