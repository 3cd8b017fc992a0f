/**
 * pnpm's dependency paths: how `pnpm-lock.yaml` names a package and how a reference (an importer's
 * or a package's `version:`) points at one. The rules are pnpm's own (`@pnpm/dependency-path`,
 * `refToRelative`) for the two layouts in use:
 *
 * - v6 (lockfileVersion 6.x, pnpm 8): registry packages are `/name@1.2.3`, with peers
 *   `/name@1.2.3(react@18.2.0)`; a reference is a bare version (`1.2.3`, `1.2.3(react@18.2.0)`),
 *   an alias's path (`/lodash@4.17.15`), or a non-registry path written out (`file:vendor/x`,
 *   `github.com/owner/repo/<commit>`, `@host+port/x.tgz`), whose package entry has `name` and `version`.
 * - v9 (lockfileVersion 7.x and 9.x, pnpm 9+): `name@1.2.3` in `packages`, `name@1.2.3(peers)` in
 *   `snapshots`; a reference is a version, an alias's `lodash@4.17.15`, or a non-registry reference
 *   (`https://…`, `git+…`, `file:…`) appended to the name: `ms@https://host/ms.tgz`.
 *
 * `link:` references are workspace folders: no path. Peer and patch suffixes (`(…)`) distinguish
 * installs of one package and version, so they are dropped to name the package.
 */

export type PnpmLayout = "v6" | "v9";

export interface PackageId {
  readonly name: string;
  /** The version in the key; undefined when the key holds a URL or path instead (read the entry's `version`). */
  readonly version?: string;
  /** The key is not a registry `name@version`. */
  readonly nonRegistry: boolean;
}

/** The dependency path a reference names, or undefined for `link:` (a workspace folder). */
export function depPathOf(layout: PnpmLayout, alias: string, reference: string): string | undefined {
  if (reference.startsWith("link:")) return undefined;
  return layout === "v6" ? v6DepPath(alias, reference) : v9DepPath(alias, reference);
}

function v6DepPath(alias: string, reference: string): string {
  if (reference.startsWith("file:")) return reference;
  const bracket = reference.indexOf("(");
  const head = bracket === -1 ? reference : reference.slice(0, bracket);
  return head.includes("/") ? reference : `/${alias}@${reference}`;
}

function v9DepPath(alias: string, reference: string): string {
  if (reference.startsWith("@")) return reference;
  const at = reference.indexOf("@");
  if (at === -1) return `${alias}@${reference}`;
  const colon = reference.indexOf(":");
  const bracket = reference.indexOf("(");
  const isPath = (colon === -1 || at < colon) && (bracket === -1 || at < bracket);
  return isPath ? reference : `${alias}@${reference}`;
}

/** `name@1.2.3(react@18.2.0)` -> `name@1.2.3`. */
export function withoutSuffixes(depPath: string): string {
  const bracket = depPath.indexOf("(");
  return bracket === -1 ? depPath : depPath.slice(0, bracket);
}

/** What a `packages` key names; undefined when it is not a dependency path of the layout. */
export function packageIdOf(layout: PnpmLayout, key: string): PackageId | undefined {
  if (layout === "v6" && !key.startsWith("/")) return { name: "", nonRegistry: true };
  const id = withoutSuffixes(layout === "v6" ? key.slice(1) : key);
  const at = id.indexOf("@", 1);
  if (at <= 0 || at === id.length - 1) return undefined;
  const name = id.slice(0, at);
  const rest = id.slice(at + 1);
  // v9 writes URLs and paths after the name (`ms@https://…`, `x@file:vendor/x`); versions have no `:`.
  if (rest.includes(":") || rest.includes("/")) return layout === "v9" ? { name, nonRegistry: true } : undefined;
  return { name, version: rest, nonRegistry: false };
}
