/**
 * One read-only call per provider that succeeds only with a working credential. Each asks for the
 * least: who am I, list models, balance. Status codes decide; bodies are read only for the fields
 * named here and never logged, since they may echo the credential.
 */
import { signV4 } from "./sigv4.js";
import type { VerificationResult } from "./types.js";

export interface BaseUrls {
  readonly github: string;
  readonly gitlab: string;
  readonly slack: string;
  readonly stripe: string;
  readonly openai: string;
  readonly npm: string;
  readonly aws: string;
}

export const DEFAULT_BASE_URLS: BaseUrls = {
  github: "https://api.github.com",
  gitlab: "https://gitlab.com",
  slack: "https://slack.com",
  stripe: "https://api.stripe.com",
  openai: "https://api.openai.com",
  npm: "https://registry.npmjs.org",
  aws: "https://sts.amazonaws.com",
};

export interface ProviderCall {
  (url: string, init: RequestInit): Promise<{ status: number; body: unknown }>;
}

export interface ProviderContext {
  readonly secret: string;
  readonly related: readonly string[];
  readonly baseUrls: BaseUrls;
  readonly call: ProviderCall;
  readonly now: () => Date;
}

type Provider = (ctx: ProviderContext) => Promise<VerificationResult>;

const bearer = (token: string) => ({ authorization: `Bearer ${token}`, "user-agent": "pr-sentinel" });

function byStatus(status: number, activeDetail: string | undefined, inactiveOn: readonly number[] = [401]): VerificationResult {
  if (status >= 200 && status < 300) return { status: "active", detail: activeDetail };
  if (inactiveOn.includes(status)) return { status: "inactive", detail: `HTTP ${status}` };
  return { status: "unknown", detail: `HTTP ${status}` };
}

/** A field from a provider's JSON, as a short label (it lands in a finding's properties). */
function field(body: unknown, name: string): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" && value.length <= 100 ? value : undefined;
}

const github: Provider = async ({ secret, baseUrls, call }) => {
  // A refresh token only works at the OAuth endpoint together with the app's client secret; as a
  // bearer token it always gets 401, which would call every live one "not active".
  if (secret.startsWith("ghr_")) return { status: "unknown", detail: "refresh tokens cannot be checked" };
  const { status, body } = await call(`${baseUrls.github}/user`, {
    headers: { ...bearer(secret), accept: "application/vnd.github+json" },
  });
  const login = field(body, "login");
  return byStatus(status, login ? `GitHub user ${login}` : undefined);
};

const gitlab: Provider = async ({ secret, baseUrls, call }) => {
  const { status, body } = await call(`${baseUrls.gitlab}/api/v4/personal_access_tokens/self`, {
    headers: { "private-token": secret, "user-agent": "pr-sentinel" },
  });
  if (status === 200 && typeof body === "object" && body !== null) {
    const record = body as Record<string, unknown>;
    if (record.active === false || record.revoked === true) return { status: "inactive", detail: "revoked or expired" };
  }
  return byStatus(status, field(body, "name") ? `GitLab token "${field(body, "name")}"` : undefined);
};

const slack: Provider = async ({ secret, baseUrls, call }) => {
  const { status, body } = await call(`${baseUrls.slack}/api/auth.test`, { method: "POST", headers: bearer(secret) });
  if (status !== 200 || typeof body !== "object" || body === null) return byStatus(status === 200 ? 502 : status, undefined);
  const record = body as Record<string, unknown>;
  if (record.ok === true) return { status: "active", detail: field(body, "team") ? `Slack team ${field(body, "team")}` : undefined };
  const error = field(body, "error") ?? "not ok";
  const dead = ["invalid_auth", "token_revoked", "token_expired", "account_inactive", "not_authed"];
  return dead.includes(error) ? { status: "inactive", detail: error } : { status: "unknown", detail: error };
};

const stripe: Provider = async ({ secret, baseUrls, call }) => {
  const { status } = await call(`${baseUrls.stripe}/v1/balance`, { headers: bearer(secret) });
  // A restricted key without balance access authenticates and is refused: it is still live.
  if (status === 403) return { status: "active", detail: "restricted key" };
  return byStatus(status, undefined);
};

const openai: Provider = async ({ secret, baseUrls, call }) => {
  const { status } = await call(`${baseUrls.openai}/v1/models`, { headers: bearer(secret) });
  return byStatus(status, undefined);
};

const npm: Provider = async ({ secret, baseUrls, call }) => {
  const { status, body } = await call(`${baseUrls.npm}/-/whoami`, { headers: bearer(secret) });
  const user = field(body, "username");
  return byStatus(status, user ? `npm user ${user}` : undefined, [401, 403]);
};

const ACCESS_KEY_ID = /^(?:AKIA|ASIA|AIDA|AROA)[A-Z2-7]{16}$/;
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+]{40}$/;

/** STS GetCallerIdentity needs no permission: it succeeds for any working key pair. */
const aws: Provider = async ({ secret, related, baseUrls, call, now }) => {
  const pairs: [string, string][] = [];
  if (ACCESS_KEY_ID.test(secret)) {
    for (const other of related) if (SECRET_ACCESS_KEY.test(other)) pairs.push([secret, other]);
  } else if (SECRET_ACCESS_KEY.test(secret)) {
    for (const other of related) if (ACCESS_KEY_ID.test(other)) pairs.push([other, secret]);
  }
  if (pairs.length === 0) return { status: "unknown", detail: "no matching AWS key pair in the same file" };
  let last: VerificationResult = { status: "unknown" };
  for (const [accessKeyId, secretAccessKey] of pairs.slice(0, 3)) {
    const url = new URL("/", baseUrls.aws);
    const body = "Action=GetCallerIdentity&Version=2011-06-15";
    const headers = signV4(
      {
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8" },
        body,
        region: "us-east-1",
        service: "sts",
        date: now(),
      },
      { accessKeyId, secretAccessKey },
    );
    const response = await call(url.toString(), { method: "POST", headers, body });
    if (response.status === 200) {
      const arn = typeof response.body === "string" ? /<Arn>([^<]{1,200})<\/Arn>/.exec(response.body)?.[1] : undefined;
      return { status: "active", detail: arn ? `AWS identity ${arn}` : undefined };
    }
    last = awsRefusal(response.status, response.body, accessKeyId);
  }
  return last;
};

/**
 * Only `InvalidClientTokenId` on a long-term (AKIA) key says the key is dead. `SignatureDoesNotMatch`
 * means the key id exists and merely was paired with another secret from the file, and a temporary
 * (ASIA) key is refused without its session token: calling either "not active" would talk a reviewer
 * out of rotating a live credential.
 */
function awsRefusal(status: number, body: unknown, accessKeyId: string): VerificationResult {
  const code = typeof body === "string" ? /<Code>([A-Za-z]{1,64})<\/Code>/.exec(body)?.[1] : undefined;
  if (status === 403 && code === "InvalidClientTokenId" && !accessKeyId.startsWith("ASIA")) {
    return { status: "inactive", detail: code };
  }
  return { status: "unknown", detail: code ?? `HTTP ${status}` };
}

export const PROVIDERS: Readonly<Record<string, Provider>> = { github, gitlab, slack, stripe, openai, npm, aws };
