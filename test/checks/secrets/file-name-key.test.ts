/**
 * A build cache's manifest maps file paths to content hashes; a path such as
 * `validators/github-token.ts` is no key name, so its 40-hex hash is no GitHub token. The same
 * value under a real key name still is.
 */
import { describe, expect, it } from "vitest";
import { keyIsFileName } from "../../../src/checks/secrets/file-name-key.js";
import { addedFile, randomFrom, secretsCheckDrafts } from "./harness.js";

describe("a file name in a key's place", () => {
  it("is recognised just before the value", () => {
    const line = `  "/src/validators/github-token.ts": "80919bc4e63c7b0c57cb8625993533cf1e64422f",`;
    expect(keyIsFileName(line, line.indexOf("80919"))).toBe(true);
    const named = `GITHUB_TOKEN="80919bc4e63c7b0c57cb8625993533cf1e64422f"`;
    expect(keyIsFileName(named, named.indexOf("80919"))).toBe(false);
  });

  it("takes no hash in a manifest of paths for a token, and still finds the token under its name", async () => {
    const hex = () => randomFrom("0123456789abcdef", 40);
    const manifest = ["{", `  "/src/checks/secrets/validators/github-token.ts": "${hex()}",`, `  "/test/validators/github-token.test.ts": "${hex()}",`, `  "docs/api_key.md": "${hex()}",`, "}"];
    expect(await secretsCheckDrafts([addedFile("node_modules/.vitest-cache/_manifest-main.json", manifest)])).toEqual([]);
    const token = hex();
    const found = await secretsCheckDrafts([addedFile("config/ci.env", [`GITHUB_TOKEN=${token}`])]);
    expect(found.map((f) => f.ruleId)).toEqual(["github-legacy-token"]);
  });
});
