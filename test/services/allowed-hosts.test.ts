import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { HostNotAllowedError, restrictFetchToHosts } from "../../src/services/allowed-hosts.js";
import { createServices } from "../../src/services/create-services.js";
import { requestJson } from "../../src/services/http-json.js";
import { servicesEnvFrom } from "../../src/services/services-env.js";

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly authorization?: string;
}

interface Fake {
  readonly host: string;
  readonly url: string;
  readonly seen: Seen[];
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A loopback server that records every request and answers with `handle`. */
async function fake(handle: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<Fake> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", path: req.url ?? "", body, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
      handle(req, res, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { host: `127.0.0.1:${port}`, url: `http://127.0.0.1:${port}`, seen };
}

const json = (res: ServerResponse, value: unknown) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
};
const redirect = (res: ServerResponse, status: number, location: string) => {
  res.writeHead(status, { location });
  res.end();
};

describe("restrictFetchToHosts", () => {
  it("reaches an allowed host and refuses any other before connecting", async () => {
    const allowed = await fake((_req, res) => json(res, { ok: true }));
    const other = await fake((_req, res) => json(res, { other: true }));
    const restricted = restrictFetchToHosts(fetch, [allowed.host]);

    expect(await (await restricted(`${allowed.url}/v1/query`)).json()).toEqual({ ok: true });
    const refusal = restricted(`${other.url}/latest/meta-data?token=x`);
    await expect(refusal).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(restricted(`${other.url}/latest/meta-data?token=x`)).rejects.toThrow(
      `pr-sentinel refuses to reach ${other.url}: only ${allowed.host} are configured`,
    );
    expect(other.seen).toEqual([]);
  });

  it("compares host and port exactly, the host case-insensitively", async () => {
    const allowed = await fake((_req, res) => json(res, { ok: true }));
    const restricted = restrictFetchToHosts(fetch, [allowed.host]);
    expect((await restricted(new URL(`${allowed.url}/x`))).status).toBe(200);
    expect((await restricted(new Request(`${allowed.url}/y`))).status).toBe(200);

    const upper = restrictFetchToHosts(async () => new Response("{}"), ["Registry.Example.COM"]);
    expect((await upper("https://registry.example.com/left-pad")).status).toBe(200);
    // No subdomains, no other port, no other scheme than http(s).
    await expect(upper("https://evil.registry.example.com/")).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(upper("https://registry.example.com:8443/")).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(upper("https://registry.example.com.evil.test/")).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(upper("file://registry.example.com/etc/passwd")).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(restrictFetchToHosts(fetch, [])(`${allowed.url}/`)).rejects.toThrow(/only no hosts are configured/);
  });

  it("does not follow a redirect from the allowed host to another: the other is never reached", async () => {
    const other = await fake((_req, res) => json(res, { leaked: true }));
    const allowed = await fake((_req, res) => redirect(res, 302, `${other.url}/latest/meta-data/iam`));
    const restricted = restrictFetchToHosts(fetch, [allowed.host]);

    await expect(restricted(`${allowed.url}/left-pad`)).rejects.toThrow(`pr-sentinel refuses to reach ${other.url}`);
    expect(allowed.seen).toHaveLength(1);
    expect(other.seen).toEqual([]);
  });

  it("refuses a redirect chain that leaves the allowed host on a later hop", async () => {
    const other = await fake((_req, res) => json(res, { leaked: true }));
    const allowed = await fake((req, res) => {
      if (req.url === "/a") redirect(res, 301, "/b");
      else redirect(res, 307, `${other.url}/c`);
    });
    await expect(restrictFetchToHosts(fetch, [allowed.host])(`${allowed.url}/a`)).rejects.toBeInstanceOf(HostNotAllowedError);
    expect(allowed.seen.map((s) => s.path)).toEqual(["/a", "/b"]);
    expect(other.seen).toEqual([]);
  });

  it("follows same-host redirects the way fetch does: 307 keeps the POST, 303 becomes a body-less GET", async () => {
    const allowed = await fake((req, res, body) => {
      if (req.url === "/old") redirect(res, 307, "/new");
      else if (req.url === "/submit") redirect(res, 303, "/result");
      else json(res, { method: req.method, path: req.url, body });
    });
    const restricted = restrictFetchToHosts(fetch, [allowed.host]);

    const kept = await restricted(`${allowed.url}/old`, { method: "POST", body: '{"q":1}', headers: { "content-type": "application/json" } });
    expect(await kept.json()).toEqual({ method: "POST", path: "/new", body: '{"q":1}' });
    const seeOther = await restricted(`${allowed.url}/submit`, { method: "POST", body: '{"q":2}' });
    expect(await seeOther.json()).toEqual({ method: "GET", path: "/result", body: "" });
  });

  it("follows a redirect to another allowed host and drops the authorization header on the way", async () => {
    const second = await fake((req, res) => json(res, { authorization: req.headers.authorization ?? null }));
    const first = await fake((_req, res) => redirect(res, 302, `${second.url}/mirror`));
    const restricted = restrictFetchToHosts(fetch, [first.host, second.host]);
    const answer = await restricted(`${first.url}/pkg`, { headers: { authorization: "Bearer npm_token" } });
    expect(await answer.json()).toEqual({ authorization: null });
    expect(first.seen[0]?.authorization).toBe("Bearer npm_token");
  });

  it("gives a caller that asked for manual redirects the 3xx itself, and rejects under redirect: error", async () => {
    const other = await fake((_req, res) => json(res, {}));
    const allowed = await fake((_req, res) => redirect(res, 302, `${other.url}/x`));
    const restricted = restrictFetchToHosts(fetch, [allowed.host]);
    const manual = await restricted(`${allowed.url}/`, { redirect: "manual" });
    expect(manual.status).toBe(302);
    await expect(restricted(`${allowed.url}/`, { redirect: "error" })).rejects.toThrow(/redirect/);
    expect(other.seen).toEqual([]);
  });

  it("stops a redirect loop on the allowed host after fetch's 20 hops", async () => {
    const allowed = await fake((_req, res) => redirect(res, 302, "/again"));
    await expect(restrictFetchToHosts(fetch, [allowed.host])(`${allowed.url}/`)).rejects.toThrow(/more than 20 redirects/);
    expect(allowed.seen).toHaveLength(21);
  });

  it("is what the JSON clients get: a redirect elsewhere is an error naming the refused origin", async () => {
    const other = await fake((_req, res) => json(res, { leaked: true }));
    const allowed = await fake((req, res) => (req.url === "/moved" ? json(res, { ok: true }) : redirect(res, 308, req.url === "/here" ? "/moved" : `${other.url}/`)));
    const restricted = restrictFetchToHosts(fetch, [allowed.host]);
    const schema = z.object({ ok: z.boolean() });
    expect(await requestJson({ url: `${allowed.url}/here`, schema, fetch: restricted })).toEqual({ status: 200, data: { ok: true } });
    await expect(requestJson({ url: `${allowed.url}/away`, schema, fetch: restricted, retryDelayMs: 1 })).rejects.toThrow(`refuses to reach ${other.url}`);
    expect(other.seen).toEqual([]);
  });
});

describe("createServices", () => {
  it("restricts the OSV and npm clients and the checks' fetch to the configured hosts", async () => {
    const osv = await fake((_req, res) => json(res, { results: [{}] }));
    const other = await fake((_req, res) => json(res, {}));
    const npm = await fake((_req, res) => redirect(res, 302, `${other.url}/left-pad`));
    const services = createServices(servicesEnvFrom({ OSV_API_URL: osv.url, NPM_REGISTRY_URL: npm.url }), { offline: false });

    const found = await services.vulnerabilities?.lookup([{ ecosystem: "npm", name: "left-pad", version: "1.0.0" }], new AbortController().signal);
    expect(found).toBeDefined();
    expect(osv.seen).toHaveLength(1);
    await expect(services.npmRegistry?.packageInfo("left-pad", new AbortController().signal)).rejects.toThrow(/refuses to reach/);
    expect((await services.fetch!(`${osv.url}/v1/query`)).status).toBe(200);
    await expect(services.fetch!(`${other.url}/`)).rejects.toBeInstanceOf(HostNotAllowedError);
    expect(other.seen).toEqual([]);
  });
});
