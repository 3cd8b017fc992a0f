import { describe, expect, it } from "vitest";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import { addedFile, BASE62, randomFrom, randomSlackBotToken, scan } from "./harness.js";

describe("secrets in vendored SDKs' sample data", () => {
  const apiKey = () => `const apiKey = "${randomFrom(BASE62, 32)}";`;

  it("lowers generic findings in example payloads, type declarations and vendored trees, and says where they are", async () => {
    for (const path of ["sdk/payments.examples.json", "types/client.d.ts", "vendor/github.com/acme/sdk/auth.go", "third_party/mqtt/client.js"]) {
      const { findings } = await scan(secretsCheck, [addedFile(path, [apiKey()])]);
      expect(findings.map((f) => [f.ruleId, f.severity, f.properties?.sample_data]), path).toEqual([["secrets/generic-api-key-assignment", "low", true]]);
    }
  });

  it("keeps vendor-prefixed findings there at their severity", async () => {
    const { findings } = await scan(secretsCheck, [addedFile("vendor/acme/sdk/config.go", [`token := "${randomSlackBotToken()}"`])]);
    expect(findings.map((f) => [f.ruleId, f.severity, f.properties?.sample_data])).toEqual([["secrets/slack-bot-token", "high", true]]);
  });

  it("leaves generic findings elsewhere at medium", async () => {
    const { findings } = await scan(secretsCheck, [addedFile("src/client.ts", [apiKey()])]);
    expect(findings.map((f) => [f.severity, f.properties?.sample_data])).toEqual([["medium", undefined]]);
  });
});
