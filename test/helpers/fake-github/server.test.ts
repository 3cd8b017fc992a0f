/**
 * The fake GitHub must refuse what GitHub refuses, or the end-to-end tests' "no request was
 * rejected" would prove nothing. These tests call it directly over HTTP.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateRequest } from "./openapi-validator.js";
import { addPullRequest } from "./scenario.js";
import { FakeGitHub } from "./server.js";

let fake: FakeGitHub;
let token: string;

beforeAll(async () => {
  fake = new FakeGitHub({ appId: 1, publicKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey });
  await fake.start();
  token = fake.issueToken();
  addPullRequest(fake, {
    owner: "o",
    repo: "r",
    number: 1,
    changes: [
      { path: "a.txt", base: Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n") + "\n", head: Array.from({ length: 20 }, (_, i) => (i === 10 ? "new" : `l${i}`)).join("\n") + "\n" },
      ...Array.from({ length: 149 }, (_, i) => ({ path: `f${i}.txt`, base: null, head: "x\n" })),
    ],
  });
});

afterAll(async () => {
  await fake?.stop();
});

function call(method: string, path: string, body?: unknown) {
  return fetch(`http://${fake.host}/api/v3${path}`, {
    method,
    headers: { authorization: `token ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("OpenAPI validation", () => {
  it("knows GitHub's operations and their request bodies", () => {
    expect(validateRequest("POST", "/repos/o/r/check-runs", { name: "x", head_sha: "abc" }).errors).toEqual([]);
    expect(validateRequest("POST", "/repos/o/r/check-runs", { head_sha: "abc", status: "done" }).errors).toHaveLength(2);
    expect(validateRequest("GET", "/repos/o/r/contents/.github%2Fx.yml", undefined).operationId).toBe("repos/get-content");
    expect(validateRequest("DELETE", "/repos/o/r/pulls/1/files", undefined).errors[0]).toMatch(/not an operation/);
  });

  it("answers 422 to a body that breaks the schema and records the rejection", async () => {
    const before = fake.rejections().length;
    const response = await call("POST", "/repos/o/r/check-runs", { name: "x", head_sha: "abc", conclusion: "maybe" });
    expect(response.status).toBe(422);
    expect(fake.rejections().length).toBe(before + 1);
  });

  it("refuses requests without an installation token", async () => {
    const response = await fetch(`http://${fake.host}/api/v3/repos/o/r/pulls/1/files`);
    expect(response.status).toBe(401);
  });
});

describe("GraphQL validation", () => {
  it("refuses documents GitHub's GraphQL schema rejects, with GitHub's 200-and-errors answer", async () => {
    const send = (query: string, variables: object = {}) =>
      fetch(`http://${fake.host}/api/graphql`, { method: "POST", headers: { authorization: `token ${token}` }, body: JSON.stringify({ query, variables }) });
    const bad = await send("query { viewer { notAField } }");
    expect(bad.status).toBe(200);
    expect(JSON.stringify(await bad.json())).toContain("notAField");
    const wrongVariable = await send("mutation($threadId: ID!) { resolveReviewThread(input: { threadId: $threadId }) { thread { id } } }", {});
    expect(JSON.stringify(await wrongVariable.json())).toContain("threadId");
    expect(fake.rejections().filter((r) => r.path === "/api/graphql")).toHaveLength(2);
  });
});

describe("GitHub's rules", () => {
  it("rejects a whole review when one comment is outside the diff", async () => {
    const review = (line: number) => ({ event: "COMMENT", body: "b", comments: [{ path: "a.txt", line: 11, side: "RIGHT", body: "ok" }, { path: "a.txt", line, side: "RIGHT", body: "?" }] });
    const bad = await call("POST", "/repos/o/r/pulls/1/reviews", review(2));
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("must be part of the diff");
    expect(fake.state.reviews).toHaveLength(0);
    expect((await call("POST", "/repos/o/r/pulls/1/reviews", review(14))).status).toBe(200);
    expect(fake.state.reviewComments).toHaveLength(2);
  });

  it("takes at most 50 annotations per request and appends them across updates", async () => {
    const created = (await (await call("POST", "/repos/o/r/check-runs", { name: "x", head_sha: "abc" })).json()) as { id: number };
    const annotations = (n: number) => Array.from({ length: n }, () => ({ path: "a.txt", start_line: 1, end_line: 1, annotation_level: "notice", message: "m" }));
    expect((await call("PATCH", `/repos/o/r/check-runs/${created.id}`, { output: { title: "t", summary: "s", annotations: annotations(51) } })).status).toBe(422);
    expect((await call("PATCH", `/repos/o/r/check-runs/${created.id}`, { output: { title: "t", summary: "s", annotations: annotations(50) } })).status).toBe(200);
    expect((await call("PATCH", `/repos/o/r/check-runs/${created.id}`, { output: { title: "t", summary: "s", annotations: annotations(5) } })).status).toBe(200);
    expect(fake.state.checkRuns.get(created.id)!.annotations).toHaveLength(55);
  });

  it("enforces the text limits of check-run output and comment bodies", async () => {
    expect((await call("POST", "/repos/o/r/check-runs", { name: "x", head_sha: "abc", output: { title: "t", summary: "s".repeat(65_536) } })).status).toBe(422);
    expect((await call("POST", "/repos/o/r/check-runs", { name: "x", head_sha: "abc", output: { title: "t", summary: "s".repeat(65_535) } })).status).toBe(201);
    expect((await call("POST", "/repos/o/r/issues/1/comments", { body: "b".repeat(65_537) })).status).toBe(422);
    expect((await call("POST", "/repos/o/r/issues/1/comments", { body: "b".repeat(65_536) })).status).toBe(201);
  });

  it("pages the changed files with Link headers", async () => {
    const first = await call("GET", "/repos/o/r/pulls/1/files?per_page=100");
    expect(((await first.json()) as unknown[]).length).toBe(100);
    expect(first.headers.get("link")).toMatch(/page=2>; rel="next"/);
    const last = await call("GET", "/repos/o/r/pulls/1/files?per_page=100&page=2");
    expect(((await last.json()) as unknown[]).length).toBe(50);
    expect(last.headers.get("link")).not.toMatch(/rel="next"/);
  });
});
