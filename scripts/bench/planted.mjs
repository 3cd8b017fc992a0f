/**
 * Synthetic credentials planted into the bench corpus, generated fresh on every run (nothing real,
 * nothing committed). One file per provider family, written in the documented shape of the
 * provider's credential, which is also the shape secretlint's recommended preset looks for where it
 * covers the provider (`secretlint: true`), so both tools are measured on the same lines.
 *
 * Checksummed formats (GitHub classic and fine-grained, npm, Grafana) use the project's own
 * validators from dist/, so the tokens are well-formed.
 */
import { randomBytes, randomInt } from "node:crypto";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const B62 = UPPER + LOWER + DIGITS;
const B32 = `${UPPER}234567`;
const HEX = "0123456789abcdef";

/** Random text without runs or words that the placeholder recogniser would (rightly) reject. */
function rand(alphabet, length) {
  for (;;) {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
    if (!/(.)\1{3}|(..)\2{2}|test|fake|mock|demo|foo|bar|null|none|todo|abcd|1234|xxx|example|sample|dummy/i.test(out)) {
      return out;
    }
  }
}
const digits = (n) => String(randomInt(1, 10)) + rand(DIGITS, n - 1);

function pemBody() {
  // DER of a private key starts 0x30 0x82: base64 "MII", which real keys (and secretlint) expect.
  const der = Buffer.concat([Buffer.from([0x30, 0x82, 0x04, 0xa4, 0x02, 0x01, 0x00]), randomBytes(1180)]);
  const b64 = der.toString("base64");
  const lines = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return lines;
}

function jwt() {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const exp = Math.floor(Date.now() / 1000) + 86400 * 365;
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ iss: "https://auth.internal.corp", sub: rand(DIGITS, 8), exp })}.${randomBytes(32).toString("base64url")}`;
}

/**
 * @param {{ base62Crc32Checksum(body: string): string, grafanaChecksum(key: string): string, fineGrainedPatChecksum?(body: string): string }} v
 * @returns {{ family: string, provider: string, secretlint: boolean, path: string, lines: string[], secretLines: number[] }[]}
 */
export function plantedFamilies(v) {
  const gh = (prefix) => {
    const body = rand(B62, 30);
    return `${prefix}${body}${v.base62Crc32Checksum(body)}`;
  };
  const fineGrained = () => {
    const body = `github_pat_11${rand(B32, 20)}_${rand(B62, 43)}`;
    return `${body}${v.fineGrainedPatChecksum ? v.fineGrainedPatChecksum(body) : rand(B32, 8)}${rand(B62, 8)}`;
  };
  const glsaKey = `glsa_${rand(B62, 32)}`;
  const password = `${rand(B62, 10)}_${rand(B62, 8)}`;
  const pem = pemBody();
  const items = [
    ["github-classic-pat", "GitHub", true, "config/github.env", [`GITHUB_TOKEN=${gh("ghp_")}`]],
    ["github-oauth", "GitHub", true, "src/auth/oauth.json", [`{"access_token":"${gh("gho_")}","token_type":"bearer"}`]],
    ["github-fine-grained-pat", "GitHub", true, "scripts/release.sh", [`export GH_TOKEN=${fineGrained()}`]],
    ["gitlab-pat", "GitLab", true, "ci/gitlab.yml", [`  GITLAB_TOKEN: glpat-${rand(B62, 20)}`]],
    ["slack-bot-token", "Slack", true, "src/notify.js", [`const slack = new WebClient("xoxb-${digits(12)}-${digits(13)}-${rand(B62, 24)}");`]],
    ["slack-webhook", "Slack", true, "src/alerts.py", [`WEBHOOK = "https://hooks.slack.com/services/T${rand(UPPER + DIGITS, 10)}/B${rand(UPPER + DIGITS, 10)}/${rand(B62, 24)}"`]],
    ["npm-token", "npm", true, "deploy/npmrc.txt", [`//registry.npmjs.org/:_authToken=${gh("npm_")}`]],
    ["aws-access-key-id", "AWS", true, "infra/aws.env", [`AWS_ACCESS_KEY_ID=AKIA${rand(B32, 16)}`]],
    ["aws-secret-access-key", "AWS", true, "infra/aws-secret.env", [`AWS_SECRET_ACCESS_KEY="${rand(`${B62}/+`, 40)}"`]],
    ["private-key", "PEM", true, "deploy/id_rsa", ["-----BEGIN RSA PRIVATE KEY-----", ...pem, "-----END RSA PRIVATE KEY-----"]],
    ["openai-project-key", "OpenAI", true, "src/ai.ts", [`const openai = new OpenAI({ apiKey: "sk-proj-${rand(B62, 74)}T3BlbkFJ${rand(B62, 74)}" });`]],
    ["anthropic-key", "Anthropic", true, "src/llm.py", [`client = Anthropic(api_key="sk-ant-api03-${rand(B62 + "_-", 93)}AA")`]],
    ["sendgrid-key", "SendGrid", true, "src/mail.rb", [`SENDGRID_API_KEY = "SG.${rand(B62, 22)}.${rand(B62, 43)}"`]],
    ["shopify-token", "Shopify", true, "src/shop.php", [`$token = "shpat_${rand(HEX, 32)}";`]],
    ["huggingface-token", "Hugging Face", true, "notebooks/hf.py", [`HF_TOKEN = "hf_${rand(UPPER + LOWER, 34)}"`]],
    ["groq-key", "Groq", true, "src/groq.ts", [`const groq = "gsk_${rand(B62, 52)}";`]],
    ["linear-key", "Linear", true, "tools/linear.env", [`LINEAR_API_KEY=lin_api_${rand(B62, 40)}`]],
    ["notion-token", "Notion", true, "tools/notion.env", [`NOTION_TOKEN=ntn_${digits(11)}${rand(B62, 35)}`]],
    ["grafana-service-account", "Grafana", true, "ops/grafana.env", [`GRAFANA_TOKEN=${glsaKey}_${v.grafanaChecksum(glsaKey)}`]],
    ["basic-auth-url", "URL credentials", true, "ops/mirror.cfg", [`mirror = https://deploy:${password}@artifacts.corp-internal.net/repo`]],
    ["postgres-url", "Database URL", true, "config/database.yml", [`  url: postgres://app:${rand(B62, 20)}@db.prod.internal:5432/main`]],
    ["stripe-live-key", "Stripe", false, "src/billing.js", [`const stripe = require("stripe")("sk_live_${rand(B62, 99)}");`]],
    ["gcp-api-key", "Google Cloud", false, "web/maps.html", [`<script src="https://maps.googleapis.com/maps/api/js?key=AIza${rand(B62 + "_-", 35)}"></script>`]],
    ["jwt", "JSON Web Token", false, "api/session.http", [`Authorization: Bearer ${jwt()}`]],
    ["generic-password", "Generic", false, "config/app.properties", [`db.password=${rand(B62, 12)}%${rand(B62, 6)}`]],
    ["twilio-api-key", "Twilio", false, "src/sms.py", [`TWILIO_API_KEY = "SK${rand(HEX, 32)}"`]],
    ["telegram-bot-token", "Telegram", false, "bot/config.env", [`TELEGRAM_BOT_TOKEN=${digits(10)}:AA${rand(B62 + "_-", 33)}`]],
    ["docker-config-auth", "Docker", true, "deploy/.docker/config.json", [
      '{"auths":{"registry.corp-internal.net":{',
      `  "auth":"${Buffer.from(`ci-bot:${rand(B62, 20)}`).toString("base64")}"`,
      "}}}",
    ]],
  ];
  return items.map(([family, provider, secretlint, path, body]) => {
    const header = ["# service configuration", ""];
    const lines = path.endsWith(".json") ? body : [...header, ...body];
    const first = lines.indexOf(body[0]) + 1;
    const secretLines = path.endsWith(".json") && body.length > 1 ? [2] : body.map((_, i) => first + i);
    return { family, provider, secretlint, path: `planted/${path}`, lines, secretLines: family === "private-key" ? [first] : secretLines };
  });
}
