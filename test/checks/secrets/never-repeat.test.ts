/**
 * The promise the check lives by: no output and no log line ever contains a secret it found.
 * Secrets are planted, the scan runs through the engine with a trace-level logger captured into a
 * buffer, and every report format is rendered; none may contain a secret or any 12-character piece
 * of its random part.
 */
import { describe, expect, it } from "vitest";
import { createSecretsCheck } from "../../../src/checks/secrets/check.js";
import { secretsCheck } from "../../../src/checks/secrets/index.js";
import { base62Crc32Checksum } from "../../../src/checks/secrets/validators/index.js";
import { renderReport, REPORT_FORMATS } from "../../../src/reporters/index.js";
import {
  addedFile,
  BASE62,
  captureLogger,
  makeJwt,
  randomAwsPair,
  randomGithubPat,
  randomFrom,
  randomPemLines,
  randomSlackBotToken,
  scan,
  testRules,
} from "./harness.js";

function pieces(random: string, size = 12): string[] {
  const out: string[] = [];
  for (let i = 0; i + size <= random.length; i++) out.push(random.slice(i, i + size));
  return out;
}

describe("secrets are never repeated", () => {
  it.each([
    ["this project's test rules", createSecretsCheck(testRules), false],
    ["the built-in rule table", secretsCheck, true],
  ] as const)("keeps planted secrets out of every report format and every log line (%s)", async (_name, check, builtin) => {
    const body = randomFrom(BASE62, 30);
    const github = builtin ? `ghp_${body}${base62Crc32Checksum(body)}` : randomGithubPat();
    const aws = randomAwsPair();
    const pem = randomPemLines();
    const slack = randomSlackBotToken();
    const jwt = makeJwt({ iss: "https://issuer.example.test", sub: "user-1", exp: 4102444800 });
    const password = "Xq7#mP2$vL9!rT4&";
    const files = [
      addedFile("config/prod.env", [
        `GITHUB_TOKEN=${github}`,
        `AWS_ACCESS_KEY_ID=${aws.id}`,
        `AWS_SECRET_ACCESS_KEY=${aws.secret}`,
        `SLACK_TOKEN=${slack}`,
      ]),
      addedFile("deploy/id_rsa", pem),
      addedFile("src/client.ts", [`const session = "${jwt}";`, `const db = { password: "${password}" };`]),
    ];
    const captured = captureLogger();
    const result = await scan(check, files, {}, { logger: captured.logger });

    // Every planted secret was found (one finding per planted line or block), or this test would prove nothing.
    const places = result.findings.map((f) => `${f.path}:${f.startLine}`).sort();
    expect(places).toEqual(
      ["config/prod.env:1", "config/prod.env:2", "config/prod.env:3", "config/prod.env:4", "deploy/id_rsa:1", "src/client.ts:1", "src/client.ts:2"].sort(),
    );

    const outputs = REPORT_FORMATS.map((format) => renderReport(format, result, { color: false, toolVersion: "0.0.0" }));
    outputs.push(JSON.stringify(result), captured.text());
    expect(captured.text().length).toBeGreaterThan(0);

    const randomParts = [
      github.slice(4),
      aws.id.slice(4),
      aws.secret,
      pem.slice(1, -1).join(""),
      slack.slice(5),
      jwt.split(".")[2]!,
      jwt,
      password,
    ];
    for (const output of outputs) {
      for (const random of randomParts) {
        for (const piece of pieces(random)) expect(output).not.toContain(piece);
      }
      for (const line of pem.slice(1, -1)) expect(output).not.toContain(line.slice(0, 12));
    }
  });
});
