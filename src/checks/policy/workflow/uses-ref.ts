/**
 * What a `uses:` value points at, from GitHub's documented forms:
 *   `./path` (an action or reusable workflow in the same repository, at the same commit),
 *   `owner/repo[/path]@ref` (an action, or a reusable workflow when the path is under
 *   `.github/workflows/`), and `docker://image[:tag][@sha256:digest]`.
 * The ref is judged by shape only: offline, a 40-hex value is a commit SHA (a branch or tag named
 * like one is possible but GitHub resolves a full SHA as a commit first), anything shorter is a
 * movable ref. Expressions are not allowed in `uses:`; a value with one is reported as `unknown`
 * and no audit guesses about it.
 */

export type UsesRef =
  | { readonly kind: "local"; readonly path: string }
  | {
      readonly kind: "repository";
      readonly owner: string;
      readonly repo: string;
      /** Inside the repository, without leading slash; `""` for the root action. */
      readonly path: string;
      /** `undefined` when the value has no `@` at all. */
      readonly ref?: string;
      /** `ref` is a full commit SHA (40 hex, or 64 for SHA-256 repositories). */
      readonly pinnedToCommit: boolean;
      /** The path is a workflow file under `.github/workflows/`. */
      readonly reusableWorkflow: boolean;
    }
  | {
      readonly kind: "docker";
      readonly image: string;
      readonly tag?: string;
      /** `sha256:…` when pinned by digest. */
      readonly digest?: string;
    }
  | { readonly kind: "unknown"; readonly reason: string };

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;
const NAME_SEGMENT = /^[A-Za-z0-9_.-]+$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/i;

function isFullCommitSha(ref: string): boolean {
  return FULL_SHA.test(ref);
}

export function parseUses(raw: string): UsesRef {
  const value = raw.trim();
  if (value === "") return { kind: "unknown", reason: "empty" };
  if (value.includes("${{")) return { kind: "unknown", reason: "expression" };
  if (value.startsWith("./") || value.startsWith(".\\")) return { kind: "local", path: value.slice(2) };
  if (value.toLowerCase().startsWith("docker://")) return parseDocker(value.slice("docker://".length));
  return parseRepository(value);
}

function parseRepository(value: string): UsesRef {
  const at = value.indexOf("@");
  const target = at < 0 ? value : value.slice(0, at);
  const ref = at < 0 ? undefined : value.slice(at + 1);
  const [owner, repo, ...rest] = target.split("/");
  if (!owner || !repo || !NAME_SEGMENT.test(owner) || !NAME_SEGMENT.test(repo)) return { kind: "unknown", reason: "not owner/repo" };
  if (ref !== undefined && ref === "") return { kind: "unknown", reason: "empty ref" };
  const path = rest.join("/");
  return {
    kind: "repository",
    owner,
    repo,
    path,
    ...(ref !== undefined ? { ref } : {}),
    pinnedToCommit: ref !== undefined && isFullCommitSha(ref),
    reusableWorkflow: /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path),
  };
}

function parseDocker(reference: string): UsesRef {
  if (reference === "") return { kind: "unknown", reason: "empty image" };
  const at = reference.indexOf("@");
  const nameAndTag = at < 0 ? reference : reference.slice(0, at);
  const digest = at < 0 ? undefined : reference.slice(at + 1);
  // The tag follows the last `:` after the last `/` (a registry host may carry a port: `host:5000/img`).
  const slash = nameAndTag.lastIndexOf("/");
  const colon = nameAndTag.indexOf(":", slash + 1);
  const image = colon < 0 ? nameAndTag : nameAndTag.slice(0, colon);
  const tag = colon < 0 ? undefined : nameAndTag.slice(colon + 1);
  return {
    kind: "docker",
    image,
    ...(tag ? { tag } : {}),
    ...(digest !== undefined && DIGEST.test(digest) ? { digest } : {}),
  };
}

/** `owner/repo` plus the sub-path, as written (for messages and keys). */
export function usesTarget(ref: Extract<UsesRef, { kind: "repository" }>): string {
  return ref.path ? `${ref.owner}/${ref.repo}/${ref.path}` : `${ref.owner}/${ref.repo}`;
}

/**
 * A trailing comment naming the version a SHA stands for: `# v4.1.1`, `# 4.1.1`, `# tag=v4`,
 * `# ratchet:actions/checkout@v4`, or a branch name (`# main`). Dependabot and Renovate keep such
 * comments current; without one a reviewer cannot tell what the SHA is.
 */
export function isVersionComment(comment: string | undefined): boolean {
  if (comment === undefined) return false;
  const text = comment.trim().replace(/^#+\s*/, "");
  if (text === "") return false;
  if (/(?:^|[^A-Za-z0-9])v?\d+(?:\.\d+){0,3}(?![A-Za-z0-9])/.test(text)) return true;
  return /^(?:branch[=:]\s*)?(?:main|master|develop|trunk|stable|nightly|release[\w./-]*)$/i.test(text);
}
