/**
 * The repository's web address for reports (SARIF `versionControlProvenance`), from the `origin`
 * remote. A remote URL is hostile input that often carries a credential
 * (`https://user:token@host/…`, `https://host/…?private_token=…`), so only the scheme, host and
 * path survive; whatever is not a network address (a local path, `file://`, a `transport::address`
 * remote helper) gives `undefined`, never a guess. Nothing here logs, or throws with the URL in
 * the message: a caller cannot print a credential by printing an error.
 */
import { runGit, type GitProcessOptions } from "./run-git.js";

/** Longer remote URLs are not addresses people type; they are refused rather than parsed. */
const MAX_REMOTE_URL_CHARS = 2048;

/** Schemes whose URL is already the web address (the port is the web server's, so it is kept). */
const WEB_SCHEMES = new Set(["https:", "http:"]);
/** Schemes of git's own transports: the same host serves the repository at `https://host/path`. */
const GIT_SCHEMES = new Set(["ssh:", "git:", "git+ssh:", "ssh+git:"]);

/**
 * `https://user:token@host:8443/owner/repo.git?x=1#y` → `https://host:8443/owner/repo`;
 * `git@host:owner/repo.git` and `ssh://git@host:22/owner/repo` → `https://host/owner/repo`.
 * `undefined` for anything else (local paths, `file://`, `ext::…`, whitespace or control characters).
 */
export function repositoryWebUri(remote: string): string | undefined {
  const raw = remote.trim();
  if (raw === "" || raw.length > MAX_REMOTE_URL_CHARS || /[\s\u0000-\u001f\u007f]/.test(raw)) return undefined;
  // `<transport>::<address>` runs a remote helper (`ext::` even a command): not a web address.
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(raw)) return undefined;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw)) return fromUrl(raw);
  return fromScpLike(raw);
}

function fromUrl(raw: string): string | undefined {
  const url = parse(raw);
  if (!url) return undefined;
  if (WEB_SCHEMES.has(url.protocol)) return build(url.protocol, url.host, url.pathname);
  // ssh's port (22, or a custom one) says nothing about the web server's.
  if (GIT_SCHEMES.has(url.protocol)) return build("https:", url.hostname, url.pathname);
  return undefined;
}

/**
 * git's scp-like syntax, `[user@]host:path`: recognised only when no slash comes before the first
 * colon (git's own rule, which keeps `./a:b` a local path). A one-letter host is a Windows drive
 * (`C:\repo`, `C:/repo`), i.e. a local path.
 */
function fromScpLike(raw: string): string | undefined {
  const match = /^(?:[^@/:]+@)?([^@/:]{2,}|\[[0-9A-Fa-f:.]+\]):(.+)$/.exec(raw);
  if (!match) return undefined;
  const [, host, path] = match;
  const url = parse(`https://${host}/${path!.replace(/^\/+/, "")}`);
  return url ? build("https:", url.host, url.pathname) : undefined;
}

function parse(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}

/** Built from parts, so user, password, query and fragment cannot ride along. */
function build(protocol: string, host: string, pathname: string): string | undefined {
  if (host === "") return undefined;
  const path = pathname.replace(/\/+$/, "").replace(/\.git$/, "").replace(/\/+$/, "");
  if (path === "" || path === "/") return undefined;
  return `${protocol}//${host.toLowerCase()}${path}`;
}

/**
 * The `origin` remote as a web address, or `undefined` when there is no origin or it is not a
 * network address. Never fails: provenance is a nicety, and a report must not fail for it.
 * `git remote get-url` applies `url.*.insteadOf`, so this is the address git would really use.
 */
export async function originWebUri(options: GitProcessOptions): Promise<string | undefined> {
  try {
    const result = await runGit(["remote", "get-url", "origin"], { ...options, maxBytes: MAX_REMOTE_URL_CHARS * 4 });
    if (result.code !== 0) return undefined;
    return repositoryWebUri(result.stdout.toString("utf8"));
  } catch {
    return undefined;
  }
}
