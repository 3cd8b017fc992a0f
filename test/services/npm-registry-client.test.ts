import { afterEach, describe, expect, it } from "vitest";
import { LookupError } from "../../src/checks/dependencies/services.js";
import { createNpmRegistryClient, encodePackageName, textOfLicense } from "../../src/services/npm-registry-client.js";
import { packument, startFakeNpmRegistry, type FakeNpmRegistry, type FakeNpmRegistryOptions, type Packument } from "../helpers/fake-npm-registry.js";

const signal = () => new AbortController().signal;
let registry: FakeNpmRegistry | undefined;

afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

async function start(docs: readonly Packument[], options: FakeNpmRegistryOptions = {}) {
  registry = await startFakeNpmRegistry(docs, options);
  return registry;
}

const leftPad = packument("left-pad", [
  { version: "1.0.0", published: "2016-03-01T00:00:00.000Z", publisher: "azer", license: "MIT" },
  { version: "1.1.0", published: "2016-03-20T00:00:00.000Z", publisher: "azer", license: { type: "WTFPL", url: "http://www.wtfpl.net" } },
  {
    version: "1.2.0",
    published: "2016-04-01T00:00:00.000Z",
    publisher: "stevemao",
    license: [{ type: "MIT" }, { type: "Apache-2.0" }],
    scripts: { preinstall: "node check.js", postinstall: "node setup.js", test: "tap", prepare: "tsc" },
    deprecated: "use String.prototype.padStart()",
  },
]);

describe("createNpmRegistryClient", () => {
  it("reads the full packument and keeps what the signals need, in publish order", async () => {
    const fake = await start([leftPad]);
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    const info = await client.packageInfo("left-pad", signal());
    expect(info?.name).toBe("left-pad");
    expect(info?.versions.map((v) => v.version)).toEqual(["1.0.0", "1.1.0", "1.2.0"]);
    expect(info?.versions[0]).toEqual({ version: "1.0.0", published: "2016-03-01T00:00:00.000Z", installScripts: {}, publisher: "azer", license: "MIT" });
    expect(info?.versions[1]?.license).toBe("WTFPL");
    expect(info?.versions[2]).toEqual({
      version: "1.2.0",
      published: "2016-04-01T00:00:00.000Z",
      installScripts: { preinstall: "node check.js", postinstall: "node setup.js" },
      deprecated: "use String.prototype.padStart()",
      publisher: "stevemao",
      license: "(MIT OR Apache-2.0)",
    });
    // Not the abbreviated document, which has no `time` and no `_npmUser`.
    expect(fake.requests[0]?.accept).not.toContain("vnd.npm.install-v1");
  });

  it("orders versions by publish time, not by the packument's key order", async () => {
    const doc = packument("backports", [
      { version: "2.0.0", published: "2024-01-01T00:00:00.000Z" },
      { version: "1.9.9", published: "2024-02-01T00:00:00.000Z" },
      { version: "1.0.0", published: "2023-01-01T00:00:00.000Z" },
    ]);
    const client = createNpmRegistryClient({ baseUrl: (await start([doc])).url });
    const info = await client.packageInfo("backports", signal());
    expect(info?.versions.map((v) => v.version)).toEqual(["1.0.0", "2.0.0", "1.9.9"]);
  });

  it("asks for scoped names as @scope%2Fname", async () => {
    const fake = await start([packument("@babel/core", [{ version: "7.0.0", published: "2018-08-27T00:00:00.000Z" }])]);
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    expect((await client.packageInfo("@babel/core", signal()))?.versions).toHaveLength(1);
    expect(fake.requests[0]?.path).toBe("/@babel%2Fcore");
    expect(encodePackageName("@types/node")).toBe("@types%2Fnode");
  });

  it("keeps a registry's path prefix", async () => {
    const fake = await start([leftPad], { pathPrefix: "/artifactory/api/npm/npm-remote" });
    const client = createNpmRegistryClient({ baseUrl: `${fake.url}/` });
    expect(await client.packageInfo("left-pad", signal())).not.toBeNull();
  });

  it("answers null for a package the registry does not have", async () => {
    const fake = await start([leftPad]);
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    expect(await client.packageInfo("no-such-package-here", signal())).toBeNull();
    expect(fake.requestCount("no-such-package-here")).toBe(1);
  });

  it("answers null without a request for names that cannot exist (no path tricks)", async () => {
    const fake = await start([leftPad]);
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    for (const name of ["", ".", "..", "a/b", "@scope/../x", "@/x", "has space", "x".repeat(215)]) {
      expect(await client.packageInfo(name, signal())).toBeNull();
    }
    expect(fake.requests).toHaveLength(0);
  });

  it("keeps odd fields of old versions as unknown instead of failing the package", async () => {
    const doc = packument("oldie", [
      { version: "0.0.1", published: "2011-01-01T00:00:00.000Z" },
      { version: "0.0.2", published: "2011-02-01T00:00:00.000Z" },
    ]);
    const weird: Packument = {
      ...doc,
      versions: {
        "0.0.1": { ...doc.versions["0.0.1"]!, scripts: "make" as unknown as Record<string, unknown>, _npmUser: "someone" as never, license: 42 },
        "0.0.2": { ...doc.versions["0.0.2"]!, scripts: { install: 7, postinstall: "node-gyp rebuild" }, deprecated: "" },
        "0.0.3": "not an object" as never,
      },
      time: { ...doc.time, unpublished: { time: "2012-01-01T00:00:00.000Z", versions: ["0.0.4"] } },
    };
    const client = createNpmRegistryClient({ baseUrl: (await start([weird])).url });
    const info = await client.packageInfo("oldie", signal());
    expect(info?.versions).toEqual([
      { version: "0.0.1", published: "2011-01-01T00:00:00.000Z", installScripts: {} },
      { version: "0.0.2", published: "2011-02-01T00:00:00.000Z", installScripts: { postinstall: "node-gyp rebuild" } },
      { version: "0.0.3", installScripts: {} },
    ]);
  });

  it("reads a package unpublished whole as one with no versions", async () => {
    const gone: Packument = { _id: "gone", name: "gone", "dist-tags": {}, versions: undefined as never, time: { created: "2020-01-01T00:00:00.000Z", unpublished: { time: "2020-01-02T00:00:00.000Z" } } };
    const client = createNpmRegistryClient({ baseUrl: (await start([gone])).url });
    expect(await client.packageInfo("gone", signal())).toEqual({ name: "gone", versions: [] });
  });

  it("caches packuments and 404s, and shares one request between concurrent asks", async () => {
    const fake = await start([leftPad]);
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    await Promise.all([client.packageInfo("left-pad", signal()), client.packageInfo("left-pad", signal()), client.packageInfo("left-pad", signal())]);
    await client.packageInfo("left-pad", signal());
    await client.packageInfo("missing", signal());
    await client.packageInfo("missing", signal());
    expect(fake.requestCount("left-pad")).toBe(1);
    expect(fake.requestCount("missing")).toBe(1);
  });

  it("bounds the cache: the least recently used packument is asked for again", async () => {
    const docs = ["aaaa", "bbbb", "cccc"].map((name) => packument(name, [{ version: "1.0.0", published: "2020-01-01T00:00:00.000Z" }]));
    const fake = await start(docs);
    const client = createNpmRegistryClient({ baseUrl: fake.url, cacheEntries: 2 });
    await client.packageInfo("aaaa", signal());
    await client.packageInfo("bbbb", signal());
    await client.packageInfo("aaaa", signal()); // aaaa is now the most recent
    await client.packageInfo("cccc", signal()); // evicts bbbb
    await client.packageInfo("aaaa", signal());
    await client.packageInfo("bbbb", signal());
    expect(fake.requestCount("aaaa")).toBe(1);
    expect(fake.requestCount("bbbb")).toBe(2);
  });

  it("asks again once a cached packument is older than the time limit", async () => {
    const fake = await start([leftPad]);
    const client = createNpmRegistryClient({ baseUrl: fake.url, cacheTtlMs: 0 });
    await client.packageInfo("left-pad", signal());
    await client.packageInfo("left-pad", signal());
    expect(fake.requestCount("left-pad")).toBe(2);
  });

  it("keeps at most `concurrency` requests in flight across calls", async () => {
    const names = Array.from({ length: 12 }, (_, i) => `package-${i}`);
    const fake = await start(
      names.map((name) => packument(name, [{ version: "1.0.0", published: "2020-01-01T00:00:00.000Z" }])),
      { latencyMs: 40 },
    );
    const client = createNpmRegistryClient({ baseUrl: fake.url, concurrency: 3 });
    const infos = await Promise.all(names.map((name) => client.packageInfo(name, signal())));
    expect(infos.every((info) => info !== null)).toBe(true);
    expect(fake.maxInFlight).toBe(3);
  });

  it("refuses a packument over the size cap and says so", async () => {
    const big = { ...leftPad, readme: "x".repeat(1.5 * 1024 * 1024) };
    const client = createNpmRegistryClient({ baseUrl: (await start([big])).url, maxBytes: 1024 * 1024 });
    const error = await client.packageInfo("left-pad", signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LookupError);
    expect((error as Error).message).toMatch(/^npm registry 127\.0\.0\.1:\d+: cannot look up "left-pad": the packument is larger than the 1 MiB cap$/);
  });

  it("defaults the size cap to 64 MiB", async () => {
    const big = { ...leftPad, readme: "x".repeat(3 * 1024 * 1024) };
    const client = createNpmRegistryClient({ baseUrl: (await start([big])).url });
    expect(await client.packageInfo("left-pad", signal())).not.toBeNull();
  });

  it("retries once after a 500", async () => {
    const fake = await start([leftPad], { failure: "500-once" });
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    expect(await client.packageInfo("left-pad", signal())).not.toBeNull();
    expect(fake.requestCount("left-pad")).toBe(2);
  });

  it.each([
    ["down", /cannot look up "left-pad": cannot connect|cut off/],
    ["garbage", /cannot look up "left-pad": the answer is not JSON$/],
    ["not-a-packument", /cannot look up "left-pad": unexpected answer \(name: /],
  ] as const)("turns a registry that is %s into a one-line LookupError naming host and package", async (failure, message) => {
    const fake = await start([leftPad], { failure });
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    const error = await client.packageInfo("left-pad", signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LookupError);
    expect((error as Error).message).toMatch(new RegExp(`^npm registry 127\\.0\\.0\\.1:${new URL(fake.url).port}: `));
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  it("times out a slow registry (each attempt) and does not cache the failure", async () => {
    const fake = await start([leftPad], { failure: "slow", slowMs: 1000 });
    const client = createNpmRegistryClient({ baseUrl: fake.url, timeoutMs: 100 });
    await expect(client.packageInfo("left-pad", signal())).rejects.toThrow(/cannot look up "left-pad": no answer within/);
    expect(fake.requestCount("left-pad")).toBe(2);
    fake.setFailure(undefined);
    expect(await client.packageInfo("left-pad", signal())).not.toBeNull();
  });

  it("says so when a registry answers for another package", async () => {
    const fake = await start([leftPad]);
    const lying = createNpmRegistryClient({
      baseUrl: fake.url,
      fetch: (input, init) => fetch(String(input).replace("/impostor", "/left-pad"), init),
    });
    await expect(lying.packageInfo("impostor", signal())).rejects.toThrow(/cannot look up "impostor": the answer is the packument of "left-pad"$/);
  });

  it("cancels: an asker that gives up gets a LookupError; a shared request goes on for the others", async () => {
    const fake = await start([leftPad], { latencyMs: 100 });
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    const quitter = new AbortController();
    const first = client.packageInfo("left-pad", quitter.signal);
    const second = client.packageInfo("left-pad", signal());
    quitter.abort();
    await expect(first).rejects.toThrow(/cannot look up "left-pad": cancelled/);
    expect((await second)?.name).toBe("left-pad");
    expect(fake.requestCount("left-pad")).toBe(1);

    const aborted = new AbortController();
    aborted.abort();
    await expect(client.packageInfo("other", aborted.signal)).rejects.toBeInstanceOf(LookupError);
  });

  it("cancels the request when its only asker gives up, and asks anew next time", async () => {
    const fake = await start([leftPad], { latencyMs: 200 });
    const client = createNpmRegistryClient({ baseUrl: fake.url });
    const quitter = new AbortController();
    const first = client.packageInfo("left-pad", quitter.signal);
    setTimeout(() => quitter.abort(), 20);
    await expect(first).rejects.toThrow(/cancelled/);
    expect(await client.packageInfo("left-pad", signal())).not.toBeNull();
    expect(fake.requestCount("left-pad")).toBe(2);
  });

  it("rejects a base URL that is not a URL", () => {
    expect(() => createNpmRegistryClient({ baseUrl: "registry.npmjs.org" })).toThrow(/not a URL \(NPM_REGISTRY_URL\)/);
  });
});

describe("textOfLicense", () => {
  it.each([
    ["MIT", "MIT"],
    [" ISC ", "ISC"],
    [{ type: "BSD-3-Clause", url: "https://opensource.org/licenses/BSD-3-Clause" }, "BSD-3-Clause"],
    [[{ type: "MIT" }, { type: "GPL-2.0" }], "(MIT OR GPL-2.0)"],
    [["MIT"], "MIT"],
    ["", undefined],
    [{ name: "MIT" }, undefined],
    [42, undefined],
    [[], undefined],
  ])("%j → %s", (value, text) => {
    expect(textOfLicense(value)).toBe(text);
  });
});
