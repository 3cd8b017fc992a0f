import { describe, expect, it } from "vitest";
import { decodeBase64 } from "../../../../src/checks/secrets/validators/base64.js";
import { isDiscordBotToken } from "../../../../src/checks/secrets/validators/discord-token.js";
import {
  isBedrockApiKey,
  isGrafanaCloudToken,
  isGrafanaLegacyApiKey,
  isSentryOrgToken,
} from "../../../../src/checks/secrets/validators/structured-token.js";

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64");
const SECRET = "Tq8Vd3kQ9mZt7LpR2xWc8NbJ4hF6sYa1GeUpR7zQ0oI";

describe("Sentry organization token", () => {
  it("needs a base64 JSON payload with iat", () => {
    const payload = b64({ iat: 1760000000.5, url: "https://sentry.io", org: "acme" });
    expect(isSentryOrgToken(`sntrys_${payload}_${SECRET}`)).toBe(true);
    expect(isSentryOrgToken(`sntrys_${b64({ url: "https://sentry.io" })}_${SECRET}`)).toBe(false);
    expect(isSentryOrgToken(`sntrys_${Buffer.from("not json at all").toString("base64")}_${SECRET}`)).toBe(false);
    expect(isSentryOrgToken(`sntrys_${SECRET}`)).toBe(false);
  });
});

describe("Grafana tokens", () => {
  it("recognises Cloud access policy tokens by their JSON body", () => {
    expect(isGrafanaCloudToken(`glc_${b64({ o: "123456", n: "deploy", k: "Vd3kQ9mZt7LpR2xWc8NbJ4hF" })}`)).toBe(true);
    expect(isGrafanaCloudToken(`glc_${b64({ n: "deploy" })}`)).toBe(false);
    expect(isGrafanaCloudToken(`glc_${SECRET}`)).toBe(false);
  });

  it("recognises legacy API keys", () => {
    expect(isGrafanaLegacyApiKey(b64({ k: "Vd3kQ9mZt7LpR2xWc8NbJ4hF6sYa1GeU", n: "ci", id: 1 }))).toBe(true);
    expect(isGrafanaLegacyApiKey(b64({ k: 5, n: "ci" }))).toBe(false);
  });
});

describe("Discord bot token", () => {
  it("starts with the base64 of a numeric user id", () => {
    const id = Buffer.from("1184357290165813248").toString("base64url");
    expect(isDiscordBotToken(`${id}.GhT2xQ.${SECRET}`)).toBe(true);
    expect(isDiscordBotToken(`${Buffer.from("not-a-snowflake-id").toString("base64url")}.GhT2xQ.${SECRET}`)).toBe(false);
    expect(isDiscordBotToken(`MTE4NDM1NzI5.GhT2xQ.${SECRET}`)).toBe(false);
  });
});

describe("decodeBase64", () => {
  it("decodes standard and URL-safe alphabets and refuses others", () => {
    expect(decodeBase64("aGVsbG8=")?.toString()).toBe("hello");
    expect(decodeBase64("-_8")?.length).toBe(2);
    expect(decodeBase64("a+b_")).toBeUndefined();
    expect(decodeBase64("abc$")).toBeUndefined();
    expect(decodeBase64("abcde")).toBeUndefined();
    expect(decodeBase64("a".repeat(70_000))).toBeUndefined();
  });
});

describe("Amazon Bedrock API key", () => {
  const encode = (text: string): string => `ABSK${Buffer.from(text).toString("base64")}`;

  it("decodes to BedrockAPIKey-<id>-at-<account>:<secret>", () => {
    expect(isBedrockApiKey(encode("BedrockAPIKey-k3v9-at-418273645091:Qm9vZ2xlU2VjcmV0VmFsdWU1Mjk4NzY="))).toBe(true);
  });

  it("rejects other payloads", () => {
    expect(isBedrockApiKey(encode("BedrockAPIKey-k3v9-at-4182736:Qm9vZ2xlU2VjcmV0"))).toBe(false);
    expect(isBedrockApiKey(encode("SomethingElse-k3v9-at-418273645091:Qm9vZ2xlU2VjcmV0"))).toBe(false);
    expect(isBedrockApiKey(`ABSK${SECRET}`)).toBe(false);
    expect(isBedrockApiKey(encode("BedrockAPIKey-k3v9-at-418273645091:Qm9vZ2xlU2VjcmV0").slice(4))).toBe(false);
  });
});
