import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { webhookBodyLimit } from "../../src/app/webhook-body-limit.js";

const PATH = "/api/github/webhooks";
const LIMIT = 1024;

let server: Server;
let port: number;
/** What reached the handler after the limit: method, url and the bytes it read. */
let downstream: { method: string; url: string; bytes: number }[];
let handled: boolean[];

beforeAll(async () => {
  const limit = webhookBodyLimit(LIMIT);
  server = createServer((req, res) => {
    void limit(req, res).then((done) => {
      handled.push(done);
      if (done) return;
      let bytes = 0;
      req.on("data", (chunk: Buffer) => (bytes += chunk.length));
      req.on("end", () => {
        downstream.push({ method: req.method ?? "", url: req.url ?? "", bytes });
        const answer = JSON.stringify({ bytes });
        res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(answer) }).end(answer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  downstream = [];
  handled = [];
});

interface RawAnswer {
  readonly status: number;
  readonly text: string;
}

/**
 * Sends raw HTTP (`connection: close`): the request head and then only `body`, maybe less than
 * declared, and reads the answer until the server closes. A limit that waited for the body would
 * never answer a request whose body never comes.
 */
function raw(head: string, body = ""): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within 3 s; got ${JSON.stringify(text)}`));
    }, 3_000);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString("utf8");
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
    socket.write(head.replaceAll("\n", "\r\n") + "\r\n" + body);
  });
}

const post = (path: string, headers: string) => `POST ${path} HTTP/1.1\nhost: 127.0.0.1\nconnection: close\ncontent-type: application/json\n${headers}\n`;

describe("webhookBodyLimit", () => {
  it("answers 413 to a webhook POST declaring more than the limit, before any of the body is sent", async () => {
    const answer = await raw(post(PATH, `content-length: ${LIMIT + 1}`));
    expect(answer.status).toBe(413);
    expect(answer.text).toContain(`over ${LIMIT} bytes`);
    expect(handled).toEqual([true]);
    expect(downstream).toEqual([]);
  });

  it("answers 413 to a huge declared body, and closes the connection without reading what was sent", async () => {
    const answer = await raw(post(PATH, "content-length: 26214400"), "x".repeat(64 * 1024));
    expect(answer.status).toBe(413);
    expect(downstream).toEqual([]);
  });

  it("answers 411 to a chunked webhook POST (no Content-Length), without reading it", async () => {
    const answer = await raw(post(PATH, "transfer-encoding: chunked"), "5\r\nhello\r\n");
    expect(answer.status).toBe(411);
    expect(answer.text).toContain("Content-Length required");
    expect(handled).toEqual([true]);
    expect(downstream).toEqual([]);
  });

  it("limits the webhook path with a query string too", async () => {
    const answer = await raw(post(`${PATH}?source=github`, `content-length: ${LIMIT * 10}`));
    expect(answer.status).toBe(413);
    expect(downstream).toEqual([]);
  });

  it("passes a webhook POST of exactly the limit on, body unread", async () => {
    const answer = await raw(post(PATH, `content-length: ${LIMIT}`), "x".repeat(LIMIT));
    expect(answer.status).toBe(200);
    expect(handled).toEqual([false]);
    expect(downstream).toEqual([{ method: "POST", url: PATH, bytes: LIMIT }]);
  });

  it("passes a small webhook POST sent with fetch on", async () => {
    const response = await fetch(`http://127.0.0.1:${port}${PATH}`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ bytes: 2 });
    expect(handled).toEqual([false]);
  });

  it("passes GET of the webhook path and other paths on", async () => {
    expect((await fetch(`http://127.0.0.1:${port}${PATH}`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(handled).toEqual([false, false]);
    expect(downstream.map((d) => `${d.method} ${d.url}`)).toEqual([`GET ${PATH}`, "GET /healthz"]);
  });

  it("bounds large bodies on every path too: no route of the server takes one", async () => {
    const answer = await raw(post("/other", `content-length: ${LIMIT * 4}`), "x".repeat(LIMIT * 4));
    expect(answer.status).toBe(413);
    expect(handled).toEqual([true]);
    expect(downstream).toEqual([]);
  });

  // @octokit/webhooks' middleware (behind this handler in server.ts) routes a request when
  // `new URL(url without trailing slashes).pathname` is the webhook path: each of these reaches it
  // and has its whole body buffered, so each must be limited as the path itself is.
  it.each([`${PATH}/`, `${PATH}//`, `${PATH}#x`, "/api/github/./webhooks", "/api/x/../github/webhooks", "/api/github/%2e/webhooks"])(
    "limits %s, which the webhook middleware routes as the webhook path",
    async (path) => {
      expect(new URL(path.replace(/\/+$/, ""), "http://localhost").pathname).toBe(PATH);
      const answer = await raw(post(path, `content-length: ${LIMIT + 1}`), "x".repeat(LIMIT + 1));
      expect(answer.status).toBe(413);
      expect(downstream).toEqual([]);
    },
  );
});
