/**
 * Authorization schemes and custom headers through the whole check, and Discord bot tokens found
 * by their own structure once, with or without a header or a key name. Values are generated here.
 */
import { randomInt, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretsCheck } from "../../../../src/checks/secrets/check.js";
import { looksLikeHeaderSecret } from "../../../../src/checks/secrets/rules/auth-schemes.js";
import { compileSecretRule } from "../../../../src/checks/secrets/compiled-rule.js";
import { secretRules } from "../../../../src/checks/secrets/rules/index.js";
import { accepts } from "../../../../src/checks/secrets/scanner.js";
import { addedFile, BASE62, randomFrom, scan } from "../harness.js";

const check = createSecretsCheck(secretRules);
const URL_SAFE = `${BASE62}_-`;

async function findingsIn(path: string, lines: readonly string[]) {
  return (await scan(check, [addedFile(path, lines)])).findings;
}

function discordToken(): string {
  const id = String(10n ** 18n + BigInt(randomInt(2 ** 47)) * 7919n);
  return `${Buffer.from(id).toString("base64url")}.${randomFrom(URL_SAFE, 6)}.${randomFrom(URL_SAFE, 38)}`;
}

describe("provider authorization schemes", () => {
  it.each([
    ["okta-ssws-api-token", (v: string) => `curl -H 'Authorization: SSWS ${v}' https://acme.okta.com/api/v1/users`, () => `00${randomFrom(URL_SAFE, 40)}`, "critical"],
    ["opsgenie-geniekey-header", (v: string) => `-H "Authorization: GenieKey ${v}"`, () => randomUUID(), "high"],
    ["splunk-hec-authorization-header", (v: string) => `headers = {"Authorization": "Splunk ${v}"}`, () => randomUUID().toUpperCase(), "high"],
    ["deepl-api-key", (v: string) => `-H 'Authorization: DeepL-Auth-Key ${v}'`, () => `${randomUUID()}:fx`, "high"],
    ["deepl-api-key", (v: string) => `translator = deepl.Translator("${v}")`, () => `${randomUUID()}:fx`, "high"],
  ])("%s is reported with its severity and redacted evidence", async (ruleId, line, make, severity) => {
    const value = make();
    const findings = await findingsIn("scripts/call.sh", ["#!/bin/sh", line(value)]);
    expect(findings.map((f) => [f.ruleId, f.startLine, f.severity])).toEqual([[`secrets/${ruleId}`, 2, severity]]);
    expect(findings[0]!.evidence).not.toContain(value.slice(8, 24));
  });

  it("does not take references and placeholders for tokens", async () => {
    const lines = [
      'curl -H "Authorization: SSWS ${OKTA_API_TOKEN}" https://acme.okta.com',
      "-H 'Authorization: GenieKey $OPSGENIE_KEY'",
      "Authorization: DeepL-Auth-Key [yourAuthKey]",
      '-H "Authorization: Splunk <hec-token>"',
    ];
    expect(await findingsIn("docs/api.md", lines)).toEqual([]);
  });
});

describe("generic schemes and custom headers", () => {
  it.each([
    ["token-authorization-header", (v: string) => `curl -H 'Authorization: Token token=${v}' https://api.pagerduty.com/incidents`],
    ["key-authorization-header", (v: string) => `  "Authorization": "key=${v}",`],
    ["api-key-header", (v: string) => `curl -H 'X-API-Key: ${v}' https://api.acme.dev`],
    ["api-key-header", (v: string) => `const res = await fetch(url, { headers: { "X-Auth-Token": "${v}" } });`],
    ["api-key-header", (v: string) => `Api-Key: ${v}`],
  ])("%s is reported as medium, instead of a generic assignment", async (ruleId, line) => {
    const value = `${randomFrom(BASE62, 22)}7`;
    const findings = await findingsIn("requests/orders.http", [line(value)]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.confidence])).toEqual([[`secrets/${ruleId}`, "medium", "medium"]]);
    expect(findings[0]!.evidence).not.toContain(value.slice(4, 16));
  });

  it("does not report references, concatenation, templates or plain words", async () => {
    const lines = [
      'curl -H "X-API-Key: $ACME_API_KEY" https://api.acme.dev',
      "curl -H 'X-API-Key: ${{ secrets.ACME_API_KEY }}' https://api.acme.dev",
      'headers["Authorization"] = "Token token=" + apiToken',
      '"Authorization": "key=" + serverKey',
      "X-Auth-Token: your-auth-token-here",
      "X-API-Key: %ACME_API_KEY%",
      'X-Api-Key: "{{ api_key }}"',
    ];
    expect(await findingsIn("docs/headers.md", lines)).toEqual([]);
  });

  it("takes only generated-looking values", () => {
    expect(looksLikeHeaderSecret("q7LmR2xWc9NbJ4hF0sYR")).toBe(true);
    for (const value of ["$API_KEY", "%API_KEY%", "{{key}}", "#{key}", "<key>", "only-words-here", "1234567890123456"]) expect(looksLikeHeaderSecret(value), value).toBe(false);
  });
});

describe("Discord bot tokens", () => {
  it("are found without a key name, in a Bot header and in client.login, once each", async () => {
    const [a, b, c] = [discordToken(), discordToken(), discordToken()];
    const findings = await findingsIn("bot/index.js", [
      `const token = "${a}";`,
      `fetch(url, { headers: { Authorization: "Bot ${b}" } });`,
      `client.login('${c}');`,
      `DISCORD_BOT_TOKEN=${a}`,
    ]);
    expect(findings.map((f) => [f.ruleId, f.startLine])).toEqual([1, 2, 3, 4].map((line) => ["secrets/discord-bot-token", line]));
    for (const f of findings) expect(f.evidence).not.toContain(a.slice(10, 30));
  });

  it("are not dotted strings whose first part is not a numeric id", async () => {
    const fake = `${Buffer.from("34567890abcdefghij").toString("base64url")}.${randomFrom(URL_SAFE, 6)}.${randomFrom(URL_SAFE, 38)}`;
    const findings = await findingsIn("bot/index.js", [`bot.run('${fake}')`, `const token = "${fake}";`]);
    // A random value under a token name may still be a generic finding; it is just not a Discord token.
    expect(findings.filter((f) => f.ruleId === "secrets/discord-bot-token")).toEqual([]);
    expect(findings.filter((f) => f.startLine === 1)).toEqual([]);
  });
});

describe("recall on generated values", () => {
  it.each([
    ["discord-bot-token", () => `client.login("${discordToken()}")`],
    ["okta-ssws-api-token", () => `Authorization: SSWS 00${randomFrom(URL_SAFE, 40)}`],
    ["deepl-api-key", () => `key = "${randomUUID()}:fx"`],
    ["api-key-header", () => `X-API-Key: ${randomFrom(BASE62, 32)}`],
  ])("%s keeps at least 99.9 percent of 2,000 generated values", (ruleId, line) => {
    const rule = compileSecretRule(secretRules.find((r) => r.id === ruleId)!);
    let dropped = 0;
    for (let n = 0; n < 2000; n++) {
      const text = line();
      const found = rule.find(text);
      if (found.length !== 1 || !accepts(rule, found[0]!.secret, text)) dropped++;
    }
    expect(dropped).toBeLessThanOrEqual(2);
  });
});
