/**
 * `pr-sentinel tokens create|list|revoke`: the operator issues and withdraws API tokens, over
 * the same database as the app (DATABASE_URL, else audit.sqlite under DATA_DIR). `create` prints
 * the token once, alone on stdout (so `TOKEN=$(pr-sentinel tokens create --name ci)` works); only
 * its hash is kept, so a lost token is revoked and replaced, never shown again. Everything else
 * goes to stderr. Exit 0 done, 2 usage, settings or database error.
 */
import { parseArgs } from "node:util";
import type { AuditStore } from "../posture/audit/open-store.js";
import { DEFAULT_RATE, formatRate, parseRate, RateError, type Rate } from "../posture/api/rate.js";
import { API_SCOPES, DEFAULT_SCOPES, isApiScope, normalizeScopes, type ApiScope } from "../posture/api/scopes.js";
import { openApiTokenStore, type ApiToken } from "../posture/api/token-store.js";
import { UsageError } from "./args.js";
import { openCliAuditStore } from "./audit-store.js";

export interface TokensCommandIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** "Now", for expiry; tests move it. */
  readonly now?: () => Date;
}

export const TOKENS_HELP = `Usage: pr-sentinel tokens <create|list|revoke> [options]

  create --name NAME [--scope scan|audit]... [--rate 60/min] [--expires 90d|YYYY-MM-DD]
      Issues an API token and prints it once (only its SHA-256 is stored). --scope says what it
      may call: scan (POST /api/v1/scan, the default) and/or audit (GET /api/v1/audit, the whole
      audit trail); repeat it for both. --rate is per token and per replica, across endpoints
      (N/s, N/min, N/h or N/day; default ${formatRate(DEFAULT_RATE)}); --expires takes days (90d), hours
      (12h), a date or an ISO 8601 date-time. Without it the token does not expire.
  list [--json]
      Every token: id, name, label (its first characters), scopes, rate, created, last used,
      expires, status.
  revoke ID|LABEL
      Withdraws a token at once; requests with it are answered 403.

The database: DATABASE_URL (PostgreSQL) if set, else DATA_DIR/audit.sqlite (DATA_DIR default ./data).
`;

export async function runTokensCommand(argv: readonly string[], io: TokensCommandIo): Promise<number> {
  const say = (line: string) => io.stderr.write(`pr-sentinel tokens: ${line}\n`);
  const now = io.now ?? (() => new Date());
  let store: AuditStore | undefined;
  try {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === "--help" || sub === "-h" || sub === "help") {
      io.stdout.write(TOKENS_HELP);
      return sub === undefined ? 2 : 0;
    }
    const command = parseCommand(sub, rest, now());
    store = await openCliAuditStore(io.env, { now });
    const tokens = await openApiTokenStore(store);
    if (command.kind === "create") {
      const { value, token } = await tokens.create(command);
      io.stdout.write(`${value}\n`);
      say(`created token ${token.id} ${token.label} "${token.name}" (scopes ${token.scopes.join(" ")}, ${formatRate(token.rate)}${token.expiresAt ? `, expires ${token.expiresAt}` : ", does not expire"}); it is shown only now: keep it in a secret store`);
      return 0;
    }
    if (command.kind === "list") {
      const list = await tokens.list();
      io.stdout.write(command.json ? `${JSON.stringify(list.map((t) => ({ ...t, rate: formatRate(t.rate), status: status(t, now()) })), null, 2)}\n` : table(list, now()));
      return 0;
    }
    const token = await tokens.revoke(command.target);
    say(`revoked token ${token.id} ${token.label} "${token.name}" (at ${token.revokedAt})`);
    return 0;
  } catch (error) {
    say(error instanceof UsageError ? `${error.message} (see pr-sentinel tokens --help)` : (error as Error).message);
    return 2;
  } finally {
    await store?.close().catch(() => undefined);
  }
}

type Command =
  | { readonly kind: "create"; readonly name: string; readonly scopes: readonly ApiScope[]; readonly rate: Rate; readonly expiresAt?: Date }
  | { readonly kind: "list"; readonly json: boolean }
  | { readonly kind: "revoke"; readonly target: string };

function parseCommand(sub: string, args: readonly string[], now: Date): Command {
  const options = {
    create: { name: { type: "string" }, scope: { type: "string", multiple: true }, rate: { type: "string" }, expires: { type: "string" } },
    list: { json: { type: "boolean" } },
    revoke: {},
  } as const;
  if (sub !== "create" && sub !== "list" && sub !== "revoke") throw new UsageError(`unknown subcommand ${JSON.stringify(sub.slice(0, 40))}: expected create, list or revoke`);
  let values: Record<string, string | string[] | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: [...args], options: options[sub], strict: true, allowPositionals: sub === "revoke" }) as {
      values: Record<string, string | string[] | boolean | undefined>;
      positionals: string[];
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (sub === "list") return { kind: "list", json: values.json === true };
  if (sub === "revoke") {
    if (positionals.length !== 1) throw new UsageError("revoke takes one token id or label");
    return { kind: "revoke", target: positionals[0]! };
  }
  const name = values.name as string | undefined;
  if (name === undefined || name.trim() === "") throw new UsageError("create needs --name NAME (who or what the token is for)");
  let rate = DEFAULT_RATE;
  try {
    if (values.rate !== undefined) rate = parseRate(values.rate as string);
  } catch (error) {
    if (error instanceof RateError) throw new UsageError(`--rate: ${error.message}`);
    throw error;
  }
  const expiresAt = values.expires === undefined ? undefined : parseExpiry(values.expires as string, now);
  return { kind: "create", name, scopes: parseScopes(values.scope as string[] | undefined), rate, ...(expiresAt ? { expiresAt } : {}) };
}

function parseScopes(given: readonly string[] | undefined): ApiScope[] {
  if (given === undefined) return [...DEFAULT_SCOPES];
  const bad = given.find((s) => !isApiScope(s));
  if (bad !== undefined) throw new UsageError(`--scope: expected ${API_SCOPES.join(" or ")}, got ${JSON.stringify(bad.slice(0, 40))} (repeat --scope for several)`);
  return normalizeScopes(given as ApiScope[]);
}

function parseExpiry(text: string, now: Date): Date {
  const relative = /^([0-9]{1,5})([dh])$/.exec(text);
  let at: Date | undefined;
  if (relative) at = new Date(now.getTime() + Number(relative[1]) * (relative[2] === "d" ? 86_400_000 : 3_600_000));
  else if (/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(text) && !Number.isNaN(Date.parse(text))) at = new Date(text);
  if (!at) throw new UsageError(`--expires: expected 90d, 12h, YYYY-MM-DD or an ISO 8601 date-time, got ${JSON.stringify(text.slice(0, 40))}`);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--expires: ${at.toISOString()} is not in the future`);
  return at;
}

function status(token: ApiToken, now: Date): "active" | "revoked" | "expired" {
  if (token.revokedAt !== null) return "revoked";
  if (token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime()) return "expired";
  return "active";
}

function table(tokens: readonly ApiToken[], now: Date): string {
  if (tokens.length === 0) return "no tokens (create one with pr-sentinel tokens create --name NAME)\n";
  const rows = [
    ["ID", "NAME", "LABEL", "SCOPES", "RATE", "CREATED", "LAST USED", "EXPIRES", "STATUS"],
    ...tokens.map((t) => [String(t.id), t.name, t.label, t.scopes.join(",") || "none", formatRate(t.rate), t.createdAt, t.lastUsedAt ?? "never", t.expiresAt ?? "never", status(t, now)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n")}\n`;
}
