/**
 * Outbound requests only to the hosts the operator configured (OSV, the npm registry). The threat:
 * anything that can steer a URL (a repository's lockfile naming a package, a hostile or compromised
 * service answering with a redirect) must not make pr-sentinel reach its own network: cloud metadata
 * at 169.254.169.254, an internal admin port, Redis.
 *
 * - Hosts compare as `URL.host`, case-insensitively and exactly: `host` or `host:port`, the port as the
 *   URL parser leaves it (a default port is dropped, so `https://x:443` is host `x`). No wildcards, no
 *   subdomains: `evil.registry.npmjs.org` is not `registry.npmjs.org`.
 * - Redirects are where an allowlist checked only on the first URL leaks. The inner fetch is always
 *   called with `redirect: "manual"`, and redirects are followed here, hop by hop, each target
 *   checked like the first URL; a redirect elsewhere rejects, the other host is never contacted. A
 *   caller that asked for `"follow"` (the default, and what http-json.ts asks for) still gets same-host
 *   and allowed-host redirects followed, with fetch's rules: at most 20 hops, 303 (and 301/302 after
 *   a POST) become a body-less GET, `authorization` is dropped when the origin changes. A caller that
 *   asked for `"manual"` gets the 3xx as is; `"error"` rejects on any redirect.
 * - Known limit: a stream body cannot be sent twice, so a 307/308 after a streamed body rejects.
 *   Nothing here sends one (the clients send JSON strings).
 */

export class HostNotAllowedError extends Error {
  constructor(
    readonly origin: string,
    allowed: readonly string[],
  ) {
    super(`pr-sentinel refuses to reach ${origin}: only ${allowed.join(", ") || "no hosts"} are configured`);
    this.name = "HostNotAllowedError";
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Fetch's own limit. */
const MAX_REDIRECTS = 20;
const BODY_HEADERS = ["content-type", "content-length", "content-encoding", "content-language", "content-location"];

export function restrictFetchToHosts(fetchImpl: typeof fetch, allowed: readonly string[]): typeof fetch {
  const hosts = [...new Set(allowed.map((h) => h.toLowerCase()))];
  const assertAllowed = (url: URL): void => {
    if ((url.protocol !== "http:" && url.protocol !== "https:") || !hosts.includes(url.host.toLowerCase())) {
      throw new HostNotAllowedError(url.origin === "null" ? url.protocol : url.origin, hosts);
    }
  };

  return async (input, init) => {
    const request = input instanceof Request ? input : undefined;
    let url = new URL(request ? request.url : input instanceof URL ? input.href : input);
    assertAllowed(url);
    const mode = init?.redirect ?? request?.redirect ?? "follow";
    // "manual" hands the 3xx back; any request the caller then makes comes through here again.
    if (mode === "manual") return fetchImpl(input, init);

    let method = (init?.method ?? request?.method ?? "GET").toUpperCase();
    let body = init?.body ?? (request ? request.body : undefined);
    const headers = new Headers(init?.headers ?? request?.headers);
    const signal = init?.signal ?? request?.signal;
    let first = true;
    for (let hop = 0; ; hop++) {
      // The caller's own input on the first hop (a Request keeps its body); a rebuilt request after.
      const response = first
        ? await fetchImpl(input, { ...init, redirect: "manual" })
        : await fetchImpl(url, { ...init, method, headers, body, signal, redirect: "manual" });
      first = false;
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.body?.cancel().catch(() => {});
      if (mode === "error") throw new TypeError(`${url.origin}${url.pathname}: redirected, and redirects are refused here`);
      if (hop >= MAX_REDIRECTS) throw new TypeError(`${url.origin}${url.pathname}: more than ${MAX_REDIRECTS} redirects`);

      const next = new URL(location, url);
      assertAllowed(next);
      if (response.status === 303 ? method !== "GET" && method !== "HEAD" : (response.status === 301 || response.status === 302) && method === "POST") {
        method = "GET";
        body = undefined;
        for (const name of BODY_HEADERS) headers.delete(name);
      } else if (body instanceof ReadableStream) {
        throw new TypeError(`${url.origin}${url.pathname}: redirected after a streamed body, which cannot be sent again`);
      }
      if (next.origin !== url.origin) headers.delete("authorization");
      url = next;
    }
  };
}
