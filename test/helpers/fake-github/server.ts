/**
 * A GitHub that is not GitHub: a real HTTP server on 127.0.0.1 that the real Probot app talks to as
 * a GitHub Enterprise Server (`GHE_HOST`), holding state and enforcing the rules that bite bots in
 * production. Every request is recorded and checked against GitHub's OpenAPI description; a request
 * GitHub would reject gets GitHub's status code and is listed in `rejections()`.
 */
import { blobSha } from "./scenario.js";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { verify, type KeyObject } from "node:crypto";
import type { AddressInfo } from "node:net";
import { rightSideLines } from "./diff-ranges.js";
import { answerGraphql, type GraphqlRequest } from "./graphql.js";
import { validateGraphqlRequest, warmUpGraphqlSchema } from "./graphql-validator.js";
import { validateRequest } from "./openapi-validator.js";
import { APP_BOT, FakeState, pullKey, type FakeCheckRun, type FakeCommit, type FakeDiffEntry } from "./state.js";

export const MAX_CHECK_OUTPUT = 65_535;
export const MAX_COMMENT_BODY = 65_536;
export const MAX_ANNOTATIONS = 50;
const MAX_PULL_FILES = 3000;
/** `GET /pulls/{n}/commits` lists at most this many; `GET /commits/{sha}` pages files by 300. */
const MAX_PULL_COMMITS = 250;
const COMMIT_FILES_PER_PAGE = 300;

export interface RecordedRequest {
  readonly method: string;
  /** Path without the `/api/v3` prefix, still URL-encoded. */
  readonly path: string;
  /** `/api/v3` when the client called it as GitHub Enterprise Server, `` as github.com. */
  readonly root: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly accept: string;
  readonly at: number;
  status: number;
  /** Why the fake (as GitHub) refused it; empty for accepted requests. */
  readonly problems: string[];
  /** Set for requests that broke GitHub's OpenAPI description (as opposed to a business rule). */
  schemaInvalid: boolean;
}

export interface FakeGitHubOptions {
  readonly appId: number;
  /** The app's public key: installation-token requests must carry a JWT it verifies. */
  readonly publicKey: KeyObject;
  /** Added to every response, to imitate a network. */
  readonly latencyMs?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: string[] = [],
  ) {
    super(message);
  }
}

class GraphqlRejected extends Error {
  constructor(readonly payload: unknown) {
    super("graphql request rejected");
  }
}

export interface ChaosAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly message?: string;
  readonly delayMs?: number;
}

class InjectedFault extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string> = {},
    readonly answer = "injected fault",
  ) {
    super(`injected fault ${status}`);
  }
}

export class FakeGitHub {
  readonly state = new FakeState();
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private readonly tokens = new Set<string>();
  private rateRemaining = 5000;
  private readonly listeners = new Set<() => void>();
  private readonly faults: { matches: (r: RecordedRequest) => boolean; status: number; headers?: Record<string, string>; message?: string }[] = [];
  private chaos: ((r: RecordedRequest) => ChaosAnswer | undefined) | undefined;
  private readonly slowdowns: { matches: (r: RecordedRequest) => boolean; delayMs: number; left: number }[] = [];

  constructor(private readonly options: FakeGitHubOptions) {}

  async start(): Promise<void> {
    // Load GitHub's OpenAPI description now, so the first request is not slowed by parsing it.
    validateRequest("GET", "/meta", undefined);
    warmUpGraphqlSchema();
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get host(): string {
    return `127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /**
   * The next request that `matches` fails with `status` (a GitHub outage, not a broken rule); with
   * `headers` and `message`, e.g. a secondary rate limit (403, `retry-after`), as GitHub words it.
   */
  failNext(matches: (r: RecordedRequest) => boolean, status = 502, answer: { headers?: Record<string, string>; message?: string } = {}): void {
    this.faults.push({ matches, status, ...answer });
  }

  /**
   * Random faults for fault tests: `decide` sees each request and may answer it with an error
   * (`status`, optional `headers`/`message`) or a delay. Undefined: answer normally.
   */
  setChaos(decide: ((r: RecordedRequest) => ChaosAnswer | undefined) | undefined): void {
    this.chaos = decide;
  }

  /** Drops every fault and slowdown not yet used (GitHub is back). */
  clearFaults(): void {
    this.faults.length = 0;
    this.slowdowns.length = 0;
  }

  /** A secondary rate limit on the next request that `matches`, as GitHub answers it. */
  rateLimitNext(matches: (r: RecordedRequest) => boolean, retryAfterSeconds = 1, status: 403 | 429 = 403): void {
    this.failNext(matches, status, {
      headers: { "retry-after": String(retryAfterSeconds) },
      message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
    });
  }

  /** Requests that `matches` are answered `delayMs` late (a slow GitHub), until `count` of them were. */
  slowDown(matches: (r: RecordedRequest) => boolean, delayMs: number, count = Number.POSITIVE_INFINITY): void {
    this.slowdowns.push({ matches, delayMs, left: count });
  }

  /** An installation token for tests that call the fake directly. */
  issueToken(): string {
    const token = `ghs_fake_direct_${this.tokens.size + 1}`;
    this.tokens.add(token);
    return token;
  }

  /** Requests GitHub would have refused: OpenAPI violations and broken rules (diff lines, limits). */
  rejections(): RecordedRequest[] {
    return this.requests.filter((r) => r.problems.length > 0);
  }

  /** Requests since index `from` (e.g. the count when a scenario started). */
  since(from: number): RecordedRequest[] {
    return this.requests.slice(from);
  }

  /** Resolves when `predicate` holds after some request, or rejects after `timeoutMs`. */
  waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error("timed out waiting for the fake GitHub state"));
      }, timeoutMs);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake.github");
    const raw = await readBody(req);
    let body: unknown;
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname.replace(/^\/api\/v3(?=\/)/, ""),
      root: url.pathname.startsWith("/api/v3/") ? "/api/v3" : "",
      query: url.searchParams,
      body: undefined,
      accept: String(req.headers.accept ?? ""),
      at: Date.now(),
      status: 0,
      problems: [],
      schemaInvalid: false,
    };
    this.requests.push(record);
    let status = 200;
    let payload: unknown;
    let headers: Record<string, string> = {};
    try {
      if (raw.length > 0) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(400, "Problems parsing JSON");
        }
      }
      (record as { body: unknown }).body = body;
      if (this.options.latencyMs) await new Promise((r) => setTimeout(r, this.options.latencyMs));
      const fault = this.faults.findIndex((f) => f.matches(record));
      if (fault >= 0) {
        const injected = this.faults.splice(fault, 1)[0]!;
        throw new InjectedFault(injected.status, injected.headers, injected.message);
      }
      // Token requests stay reliable: GitHub's faults that matter here are on the API itself.
      const chaos = record.path.endsWith("/access_tokens") ? undefined : this.chaos?.(record);
      if (chaos?.delayMs) await new Promise((r) => setTimeout(r, chaos.delayMs));
      if (chaos?.status) throw new InjectedFault(chaos.status, chaos.headers, chaos.message);
      const slow = this.slowdowns.find((d) => d.left > 0 && d.matches(record));
      if (slow) {
        slow.left--;
        await new Promise((r) => setTimeout(r, slow.delayMs));
      }
      if (url.pathname === "/api/graphql" || url.pathname === "/graphql") {
        this.authorizeInstallation(req);
        const request = (body ?? {}) as GraphqlRequest;
        const invalid = validateGraphqlRequest(String(request.query ?? ""), request.variables);
        if (invalid.length > 0) {
          // GitHub answers 200 with `errors` for documents its schema rejects.
          record.schemaInvalid = true;
          record.problems.push(...invalid);
          throw new GraphqlRejected({ errors: invalid.map((message) => ({ message })) });
        }
        const answer = answerGraphql(this.state, request, APP_BOT);
        if (answer.errors) record.problems.push(...answer.errors.map((e) => `graphql: ${e.message}`));
        payload = answer;
      } else {
        const validation = validateRequest(record.method, record.path, body);
        if (validation.errors.length > 0) {
          record.schemaInvalid = true;
          throw new HttpError(validation.operationId ? 422 : 404, validation.operationId ? "Invalid request." : "Not Found", [...validation.errors]);
        }
        ({ status, payload, headers = {} } = this.route(req, record, body));
      }
    } catch (error) {
      if (error instanceof GraphqlRejected) {
        status = 200;
        payload = error.payload;
      } else if (error instanceof InjectedFault) {
        record.status = error.status;
        res.writeHead(error.status, { "content-type": "application/json; charset=utf-8", ...error.headers }).end(JSON.stringify({ message: error.answer }));
        for (const listener of [...this.listeners]) listener();
        return;
      } else {
        if (!(error instanceof HttpError)) throw error;
        status = error.status;
        payload = { message: error.message, errors: error.errors, documentation_url: "https://docs.github.com/rest" };
        // 404 for a missing file or config is an answer, not a broken rule.
        if (status !== 404 || error.errors.length > 0) record.problems.push(`${status} ${error.message} ${error.errors.join("; ")}`.trim());
      }
    }
    record.status = status;
    this.rateRemaining = Math.max(0, this.rateRemaining - 1);
    const common = { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": String(this.rateRemaining), "x-github-request-id": String(this.requests.length) };
    if (typeof payload === "string") {
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...common, ...headers });
      res.end(payload);
    } else if (status === 204 || status === 304) {
      res.writeHead(status, { ...common, ...headers }).end();
    } else {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...common, ...headers });
      res.end(JSON.stringify(payload ?? {}));
    }
    for (const listener of [...this.listeners]) listener();
  }

  private authorizeInstallation(req: IncomingMessage): void {
    const auth = String(req.headers.authorization ?? "");
    const token = /^token (.+)$/i.exec(auth)?.[1] ?? /^bearer (ghs_.+)$/i.exec(auth)?.[1];
    if (!token || !this.tokens.has(token)) throw new HttpError(401, "Bad credentials");
  }

  private authorizeApp(req: IncomingMessage): void {
    const jwt = /^bearer (.+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
    const parts = jwt?.split(".");
    if (!parts || parts.length !== 3) throw new HttpError(401, "A JSON web token could not be decoded");
    const [header, claims, signature] = parts as [string, string, string];
    const valid = verify("RSA-SHA256", Buffer.from(`${header}.${claims}`), this.options.publicKey, Buffer.from(signature, "base64url"));
    const iss = (JSON.parse(Buffer.from(claims, "base64url").toString("utf8")) as { iss?: unknown }).iss;
    if (!valid || String(iss) !== String(this.options.appId)) throw new HttpError(401, "'Issuer' claim ('iss') must be the App's id, signed by its key");
  }

  private route(req: IncomingMessage, record: RecordedRequest, body: unknown): { status: number; payload: unknown; headers?: Record<string, string> } {
    const { method, path, query } = record;
    const seg = path.split("/").slice(1).map(decodeURIComponent);
    const raw = record.accept.includes("raw");

    if (method === "POST" && seg[0] === "app" && seg[1] === "installations" && seg[3] === "access_tokens") {
      this.authorizeApp(req);
      const token = `ghs_fake_${seg[2]}_${this.tokens.size + 1}`;
      this.tokens.add(token);
      return {
        status: 201,
        payload: {
          token,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { checks: "write", pull_requests: "write", contents: "read", metadata: "read" },
          repository_selection: "all",
        },
      };
    }
    this.authorizeInstallation(req);
    if (seg[0] !== "repos" || seg.length < 4) throw new HttpError(404, "Not Found");
    const [, owner, name, resource, ...rest] = seg as [string, string, string, string, ...string[]];
    const repo = this.state.repo(owner, name);
    if (!repo) throw new HttpError(404, "Not Found");
    const b = (body ?? {}) as Record<string, unknown>;

    if (method === "GET" && resource === "contents") {
      const filePath = rest.join("/");
      const ref = query.get("ref");
      const files = ref ? repo.commits.get(ref) : repo.defaultBranchFiles;
      const content = files?.get(filePath);
      if (content === undefined) throw new HttpError(404, "Not Found");
      // GitHub's contents answers carry an ETag and honour If-None-Match with an empty 304.
      const etag = `"${blobSha(content)}"`;
      if (req.headers["if-none-match"] === etag) return { status: 304, payload: "", headers: { etag } };
      if (raw) return { status: 200, payload: content, headers: { etag } };
      return {
        status: 200,
        payload: { type: "file", encoding: "base64", path: filePath, name: filePath.split("/").pop(), size: Buffer.byteLength(content), content: Buffer.from(content).toString("base64") },
      };
    }
    if (method === "GET" && resource === "git" && rest[0] === "blobs" && rest[1]) {
      const content = repo.blobs.get(rest[1]);
      if (content === undefined) throw new HttpError(404, "Not Found");
      if (raw) return { status: 200, payload: content };
      return { status: 200, payload: { sha: rest[1], size: Buffer.byteLength(content), encoding: "base64", content: Buffer.from(content).toString("base64") } };
    }
    if (method === "GET" && resource === "compare" && rest[0]) {
      const files = this.state.compares.get(`${owner}/${name}:${rest[0]}`);
      if (!files) throw new HttpError(404, "Not Found");
      return { status: 200, payload: { status: "ahead", files: files.slice(0, 300), commits: [] } };
    }
    if (method === "GET" && resource === "commits" && rest.length === 1 && rest[0] && repo.commitDetails.has(rest[0])) {
      return this.commitWithFiles(record, owner, name, repo.commitDetails.get(rest[0])!);
    }
    if (method === "GET" && resource === "commits" && rest.length === 1 && rest[0]) {
      const sha = repo.tags.get(rest[0]) ?? (/^[0-9a-f]{40}$/.test(rest[0]) ? rest[0] : undefined);
      if (!sha) throw new HttpError(422, "No commit found for SHA: " + rest[0]);
      return { status: 200, payload: { sha, node_id: `C_${sha.slice(0, 8)}`, commit: { message: "release" }, parents: [], files: [] } };
    }
    if (method === "GET" && resource === "tags" && rest.length === 0) {
      const tags = [...repo.tags].map(([name, sha]) => ({ name, commit: { sha, url: `https://api.github.com/repos/${owner}/${repo.name}/commits/${sha}` }, zipball_url: "", tarball_url: "", node_id: `T_${name}` }));
      return { status: 200, payload: tags };
    }
    if (method === "GET" && resource === "commits" && rest[1] === "pulls") {
      // GitHub associates a commit with pull requests of this repository's own branches only.
      const pulls = [...this.state.pulls.values()].filter(
        (p) => p.owner === owner && p.repo === name && p.headSha === rest[0] && p.headRepoFullName === `${owner}/${name}`,
      );
      return { status: 200, payload: pulls.map((p) => this.pullJson(p)) };
    }
    // GitHub answers with the app that owns the run; its slug gives the app's bot login.
    if (method === "GET" && resource === "commits" && rest[1] === "check-runs" && rest[0]) {
      const name = query.get("check_name");
      const runs = [...this.state.checkRuns.values()].filter((r) => r.owner === owner && r.repo === repo.name && r.head_sha === rest[0] && (!name || r.name === name));
      return {
        status: 200,
        payload: {
          total_count: runs.length,
          check_runs: runs.map((r) => ({ id: r.id, name: r.name, head_sha: r.head_sha, status: r.status, conclusion: r.conclusion, external_id: r.external_id ?? null, app: { id: 1, slug: APP_BOT.login.replace(/\[bot\]$/, "") } })),
        },
      };
    }
    if (method === "POST" && resource === "check-runs") {
      const run = this.createCheckRun(owner, name, b);
      return { status: 201, payload: { ...run, html_url: `https://github.com/${owner}/${name}/runs/${run.id}`, app: { id: 1, slug: APP_BOT.login.replace(/\[bot\]$/, "") } } };
    }
    if (method === "PATCH" && resource === "check-runs" && rest[0]) return { status: 200, payload: this.updateCheckRun(Number(rest[0]), b) };
    if (resource === "issues" && rest[0] === "comments" && rest[1] && method === "PATCH") {
      const comment = this.state.issueComments.find((c) => c.id === Number(rest[1]));
      if (!comment) throw new HttpError(404, "Not Found");
      checkBodyLength(b.body);
      comment.body = String(b.body);
      comment.edits++;
      return { status: 200, payload: this.issueCommentJson(comment) };
    }
    if (resource === "issues" && rest[1] === "comments") {
      const issue = pullKey(owner, name, Number(rest[0]));
      if (method === "GET") return this.paged(record, this.state.issueComments.filter((c) => c.issue === issue).map((c) => this.issueCommentJson(c)));
      checkBodyLength(b.body);
      const comment = { id: this.state.id(), issue, body: String(b.body), user: { ...APP_BOT }, edits: 0 };
      this.state.issueComments.push(comment);
      return { status: 201, payload: this.issueCommentJson(comment) };
    }
    if (resource === "pulls" && rest.length === 0 && method === "GET") {
      const state = query.get("state") ?? "open";
      const pulls = [...this.state.pulls.values()].filter((p) => p.owner === owner && p.repo === name && (state === "all" || p.state === state));
      return this.paged(record, pulls.map((p) => this.pullJson(p)));
    }
    if (resource === "pulls" && rest[0] && /^\d+$/.test(rest[0])) {
      const pull = this.state.pull(owner, name, Number(rest[0]));
      if (!pull) throw new HttpError(404, "Not Found");
      const key = pullKey(owner, name, pull.number);
      const sub = rest[1];
      if (method === "GET" && sub === undefined) return { status: 200, payload: this.pullJson(pull) };
      if (method === "GET" && sub === "files") return this.paged(record, pull.files.slice(0, MAX_PULL_FILES), 3000);
      if (method === "GET" && sub === "commits") {
        // Without commits of its own, a pull request is one commit: its head, on top of its base.
        const shas = pull.commits ?? [pull.headSha];
        const listed = shas.map((sha) => this.commitJson(owner, name, repo.commitDetails.get(sha) ?? { sha, parents: [pull.baseSha], authorDate: "2026-03-01T10:00:00Z", message: "head", files: [] }));
        return this.paged(record, listed, MAX_PULL_COMMITS);
      }
      if (method === "GET" && sub === "comments") {
        return this.paged(record, this.state.reviewComments.filter((c) => c.pull === key).map((c) => this.reviewCommentJson(c)));
      }
      if (method === "GET" && sub === "reviews") {
        return this.paged(record, this.state.reviews.filter((r) => r.pull === key).map((r) => ({ id: r.id, body: r.body, state: r.event === "COMMENT" ? "COMMENTED" : "CHANGES_REQUESTED", commit_id: r.commit_id, user: r.user })));
      }
      if (method === "POST" && sub === "reviews") return { status: 200, payload: this.createReview(key, pull.files, pull.headSha, b) };
    }
    throw new HttpError(501, `the fake GitHub does not implement ${method} ${path}`, ["not implemented"]);
  }

  /** A commit as GitHub's `commit` schema has it (the list item of `GET /pulls/{n}/commits`). */
  private commitJson(owner: string, repo: string, c: { sha: string; parents: readonly string[]; authorDate: string; message: string }) {
    const api = `https://api.github.com/repos/${owner}/${repo}`;
    const person = { name: "Octo Cat", email: "octocat@example.invalid", date: c.authorDate };
    return {
      url: `${api}/commits/${c.sha}`,
      sha: c.sha,
      node_id: `C_${c.sha.slice(0, 12)}`,
      html_url: `https://github.com/${owner}/${repo}/commit/${c.sha}`,
      comments_url: `${api}/commits/${c.sha}/comments`,
      commit: {
        url: `${api}/git/commits/${c.sha}`,
        author: person,
        committer: person,
        message: c.message,
        comment_count: 0,
        tree: { sha: c.sha.split("").reverse().join(""), url: `${api}/git/trees/${c.sha}` },
        verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
      },
      author: null,
      committer: null,
      parents: c.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `https://github.com/${owner}/${repo}/commit/${sha}` })),
    };
  }

  /** `GET /commits/{sha}`: the commit with its files, 300 a page (`page`), up to GitHub's 3000. */
  private commitWithFiles(record: RecordedRequest, owner: string, repo: string, c: FakeCommit) {
    const page = Math.max(1, Number(record.query.get("page") ?? 1));
    const files = c.files.slice(0, 3000);
    const last = Math.max(1, Math.ceil(files.length / COMMIT_FILES_PER_PAGE));
    const pageFiles = files.slice((page - 1) * COMMIT_FILES_PER_PAGE, page * COMMIT_FILES_PER_PAGE);
    const additions = c.files.reduce((n, f) => n + f.additions, 0);
    const deletions = c.files.reduce((n, f) => n + f.deletions, 0);
    const api = `https://api.github.com/repos/${owner}/${repo}`;
    const headers: Record<string, string> = {};
    if (page < last) {
      const q = new URLSearchParams(record.query);
      q.set("page", String(page + 1));
      headers.link = `<http://${this.host}${record.root}${record.path}?${q.toString()}>; rel="next"`;
    }
    return {
      status: 200,
      headers,
      payload: {
        ...this.commitJson(owner, repo, c),
        stats: { total: additions + deletions, additions, deletions },
        files: pageFiles.map((f) => ({
          ...f,
          blob_url: `https://github.com/${owner}/${repo}/blob/${c.sha}/${f.filename}`,
          raw_url: `https://github.com/${owner}/${repo}/raw/${c.sha}/${f.filename}`,
          contents_url: `${api}/contents/${f.filename}?ref=${c.sha}`,
        })),
      },
    };
  }

  private paged(record: RecordedRequest, items: unknown[], cap = Infinity): { status: number; payload: unknown; headers: Record<string, string> } {
    const { query, path, root } = record;
    const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30)));
    const page = Math.max(1, Number(query.get("page") ?? 1));
    const all = items.slice(0, cap);
    const last = Math.max(1, Math.ceil(all.length / perPage));
    const link = (p: number) => {
      const q = new URLSearchParams(query);
      q.set("per_page", String(perPage));
      q.set("page", String(p));
      return `<http://${this.host}${root}${path}?${q.toString()}>`;
    };
    const links: string[] = [];
    if (page < last) links.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (page > 1) links.push(`${link(page - 1)}; rel="prev"`, `${link(1)}; rel="first"`);
    return { status: 200, payload: all.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(", ") } : {} };
  }

  private createCheckRun(owner: string, repo: string, b: Record<string, unknown>): FakeCheckRun {
    const run: FakeCheckRun = {
      id: this.state.id(),
      owner,
      repo,
      name: String(b.name),
      head_sha: String(b.head_sha),
      status: b.conclusion ? "completed" : String(b.status ?? "queued"),
      conclusion: (b.conclusion as string | undefined) ?? null,
      external_id: b.external_id as string | undefined,
      output: {},
      annotations: [],
      history: [],
    };
    this.applyOutput(run, b.output as Record<string, unknown> | undefined);
    run.history.push({ status: run.status, conclusion: run.conclusion, at: Date.now() });
    this.state.checkRuns.set(run.id, run);
    return run;
  }

  private updateCheckRun(id: number, b: Record<string, unknown>): FakeCheckRun {
    const run = this.state.checkRuns.get(id);
    if (!run) throw new HttpError(404, "Not Found");
    this.applyOutput(run, b.output as Record<string, unknown> | undefined);
    if (b.conclusion) {
      run.status = "completed";
      run.conclusion = String(b.conclusion);
    } else if (b.status) run.status = String(b.status);
    run.history.push({ status: run.status, conclusion: run.conclusion, at: Date.now() });
    return run;
  }

  private applyOutput(run: FakeCheckRun, output: Record<string, unknown> | undefined): void {
    if (!output) return;
    for (const field of ["summary", "text"] as const) {
      const value = output[field];
      if (typeof value === "string" && value.length > MAX_CHECK_OUTPUT) {
        throw new HttpError(422, "Invalid request.", [`output.${field} is too long (maximum is ${MAX_CHECK_OUTPUT} characters)`]);
      }
    }
    const annotations = (output.annotations as Record<string, unknown>[] | undefined) ?? [];
    if (annotations.length > MAX_ANNOTATIONS) {
      throw new HttpError(422, "Invalid request.", [`Only ${MAX_ANNOTATIONS} annotations are allowed per request, got ${annotations.length}`]);
    }
    run.output = { title: output.title as string, summary: output.summary as string, text: output.text as string | undefined };
    // GitHub appends annotations across updates.
    run.annotations.push(...annotations);
  }

  private createReview(key: string, files: FakeDiffEntry[], headSha: string, b: Record<string, unknown>) {
    const event = String(b.event ?? "PENDING");
    if ((event === "COMMENT" || event === "REQUEST_CHANGES") && !b.body) {
      throw new HttpError(422, "Unprocessable Entity", [`Review body is required for ${event}`]);
    }
    checkBodyLength(b.body);
    const comments = (b.comments as Record<string, unknown>[] | undefined) ?? [];
    // All or nothing, and GitHub does not say which comment was wrong.
    for (const c of comments) {
      checkBodyLength(c.body);
      const file = files.find((f) => f.filename === c.path);
      if (c.position !== undefined) throw new HttpError(422, "Unprocessable Entity", ["the fake accepts line/side anchors only"]);
      const side = String(c.side ?? "RIGHT");
      if (!file?.patch || side !== "RIGHT" || !rightSideLines(file.patch).has(Number(c.line))) {
        throw new HttpError(422, "Unprocessable Entity", ["Pull request review thread line must be part of the diff"]);
      }
    }
    const review = { id: this.state.id(), pull: key, body: String(b.body ?? ""), event, commit_id: String(b.commit_id ?? headSha), user: { ...APP_BOT } };
    this.state.reviews.push(review);
    for (const c of comments) {
      const id = this.state.id();
      this.state.reviewComments.push({
        id,
        node_id: `PRRC_${id}`,
        pull: key,
        path: String(c.path),
        line: Number(c.line),
        side: String(c.side ?? "RIGHT"),
        body: String(c.body),
        user: { ...APP_BOT },
        pull_request_review_id: review.id,
        commit_id: review.commit_id,
      });
      this.state.threads.push({ id: `PRRT_${id}`, pull: key, isResolved: false, commentIds: [id] });
    }
    return { id: review.id, body: review.body, state: event === "COMMENT" ? "COMMENTED" : "CHANGES_REQUESTED", commit_id: review.commit_id, user: review.user };
  }

  private pullJson(p: { number: number; headSha: string; baseSha: string; draft: boolean; state: string; owner: string; repo: string; headRepoFullName: string }) {
    return {
      number: p.number,
      state: p.state,
      draft: p.draft,
      head: { sha: p.headSha, ref: "feature", repo: { full_name: p.headRepoFullName } },
      base: { sha: p.baseSha, ref: "main", repo: { full_name: `${p.owner}/${p.repo}` } },
    };
  }

  private issueCommentJson(c: { id: number; body: string; user: unknown }) {
    return { id: c.id, body: c.body, user: c.user };
  }

  private reviewCommentJson(c: { id: number; path: string; line: number; side: string; body: string; user: unknown; in_reply_to_id?: number; pull_request_review_id: number; commit_id: string }) {
    return { id: c.id, path: c.path, line: c.line, side: c.side, body: c.body, user: c.user, in_reply_to_id: c.in_reply_to_id, pull_request_review_id: c.pull_request_review_id, commit_id: c.commit_id };
  }
}

function checkBodyLength(body: unknown): void {
  if (typeof body === "string" && body.length > MAX_COMMENT_BODY) {
    throw new HttpError(422, "Validation Failed", [`Body is too long (maximum is ${MAX_COMMENT_BODY} characters)`]);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
