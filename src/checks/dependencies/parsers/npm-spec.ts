/**
 * What an npm dependency spec (the value in package.json `dependencies`, or a v1 lockfile
 * `version`) asks for. Only an exact registry version can be looked up; everything else is a range,
 * a tag, or a source outside the registry that must be judged differently.
 *
 * Follows npm-package-arg's order: `npm:` aliases, local paths, git (hosted shortcuts included),
 * http(s) tarballs, then registry versions, ranges and tags (semver in loose mode, as npm parses
 * them). `workspace:` (pnpm, Yarn) and `link:`/`portal:` (Yarn) are not npm's but appear in the
 * same field. Known limit: a plain https URL to a git host is taken as git only when it has the
 * `user/repo` shape; hosted-git-info knows more URL layouts.
 */
import type SemverModule from "semver";
import { lazyRequire } from "../../../core/lazy-require.js";

const semverLibrary = lazyRequire<typeof SemverModule>("semver");

export type RegistrySpec =
  | { readonly kind: "version"; readonly version: string }
  | { readonly kind: "range"; readonly range: string }
  | { readonly kind: "tag"; readonly tag: string };

export type NpmSpec =
  | RegistrySpec
  /** `npm:lodash@4.17.15`: `name` is the package actually installed. */
  | { readonly kind: "alias"; readonly name: string; readonly target: RegistrySpec }
  | { readonly kind: "git" | "url" | "file" | "workspace" }
  | { readonly kind: "invalid"; readonly reason: string };

const GIT_HOST_PREFIX = /^(?:github|gitlab|bitbucket|gist):/i;
const GIT_URL = /^(?:git\+[a-z]+:|git:)/i;
// `git@github.com:user/repo.git` (npm-package-arg's scp-like test).
const GIT_SCP = /^[^@/\s]+@[^:.\s]+\.[^:\s]+:.+$/;
// `user/repo` and `user/repo#ref` (hosted-git-info's GitHub shortcut).
const GIT_SHORTCUT = /^[^:@%/\s.-][^:@%/\s]*\/[^:@\s/%]+(?:#.*)?$/;
const GIT_HOST_HTTPS = /^https?:\/\/(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)\/[^/\s]+\/[^/\s#]+?(?:\.git)?\/?(?:#.*)?$/i;
const LOCAL_PROTOCOL = /^(?:file|link|portal):/i;
const LOCAL_PATH = /^(?:\.|~\/|[/\\]|[a-zA-Z]:[/\\])/;
const TARBALL_NAME = /\.(?:tgz|tar\.gz|tar)$/i;
const ANY_PROTOCOL = /^[a-z][a-z0-9+.-]*:/i;
const PACKAGE_NAME = /^(?:@[^\s/@]+\/)?[^\s/@.][^\s/@]*$/;

export function classifyNpmSpec(raw: string): NpmSpec {
  const spec = raw.trim();
  if (/^npm:/i.test(spec)) return classifyAlias(spec.slice(4));
  if (/^workspace:/i.test(spec)) return { kind: "workspace" };
  if (LOCAL_PROTOCOL.test(spec) || LOCAL_PATH.test(spec)) return { kind: "file" };
  if (GIT_URL.test(spec) || GIT_HOST_PREFIX.test(spec) || GIT_SCP.test(spec) || GIT_HOST_HTTPS.test(spec)) return { kind: "git" };
  if (/^https?:/i.test(spec)) return { kind: "url" };
  if (ANY_PROTOCOL.test(spec)) return { kind: "invalid", reason: `unsupported protocol ${spec.slice(0, spec.indexOf(":") + 1)}` };
  if (GIT_SHORTCUT.test(spec)) return { kind: "git" };
  if (spec.includes("/") || TARBALL_NAME.test(spec)) return { kind: "file" };
  return classifyRegistrySpec(spec) ?? { kind: "invalid", reason: "not a version, range or tag" };
}

/** `lodash@4.17.15`, `@scope/pkg@^1`, or a bare name (any version). */
function classifyAlias(rest: string): NpmSpec {
  const at = rest.indexOf("@", 1);
  const name = at === -1 ? rest : rest.slice(0, at);
  if (!PACKAGE_NAME.test(name)) return { kind: "invalid", reason: "npm: alias without a valid package name" };
  const target = classifyRegistrySpec(at === -1 ? "" : rest.slice(at + 1));
  if (!target) return { kind: "invalid", reason: "npm: alias to something other than a registry version, range or tag" };
  return { kind: "alias", name, target };
}

function classifyRegistrySpec(spec: string): RegistrySpec | undefined {
  if (spec === "") return { kind: "range", range: "*" };
  const semver = semverLibrary();
  const version = semver.valid(spec, { loose: true });
  if (version) return { kind: "version", version };
  if (semver.validRange(spec, { loose: true })) return { kind: "range", range: spec };
  // npm accepts any dist-tag that needs no URL encoding (`latest`, `next`, `beta-2`).
  if (encodeURIComponent(spec) === spec) return { kind: "tag", tag: spec };
  return undefined;
}

/** The exact registry version a spec pins, if it pins one (through an alias too). */
export function pinnedVersion(spec: NpmSpec): string | undefined {
  if (spec.kind === "version") return spec.version;
  if (spec.kind === "alias" && spec.target.kind === "version") return spec.target.version;
  return undefined;
}

/**
 * Why a spec gives no version to look up, for `Dependency.unpinned`. Never quotes git, URL or path
 * specs: they may carry credentials (`git+https://user:token@…`).
 */
export function unpinnedReason(spec: NpmSpec): string | undefined {
  switch (spec.kind) {
    case "version":
      return undefined;
    case "range":
      return `range ${spec.range}`;
    case "tag":
      return `tag ${spec.tag}`;
    case "alias":
      return unpinnedReason(spec.target);
    case "git":
      return "git dependency";
    case "url":
      return "URL dependency";
    case "file":
      return "local path dependency";
    case "workspace":
      return "workspace dependency";
    case "invalid":
      return `unsupported requirement (${spec.reason})`;
  }
}
