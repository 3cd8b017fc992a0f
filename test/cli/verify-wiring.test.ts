/**
 * Live secret verification is the operator's switch: the CLI hands checks a verifier only when
 * PR_SENTINEL_VERIFY_SECRETS is set in its environment, and never under --offline.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { SECRET_VERIFIER_SERVICE } from "../../src/checks/secrets/verify/index.js";
import { defineCheck, type Services } from "../../src/core/types.js";
import { createFixtureRepo, type FixtureRepo } from "../helpers/git-repo.js";
import { cli } from "./cli-harness.js";

function servicesRecorder() {
  const seen: Services[] = [];
  const check = defineCheck({
    meta: {
      id: "services-recorder",
      title: "records services",
      description: "Test-only: records the services the CLI injects.",
      defaultSeverity: "low",
      tags: ["test"],
      rules: [],
      services: ["fetch", "secretVerifier"],
    },
    optionsSchema: z.object({}),
    async run(context) {
      seen.push(context.services);
      return [];
    },
  });
  return { check, seen };
}

let repo: FixtureRepo;
let base: string;
let head: string;

beforeAll(() => {
  repo = createFixtureRepo();
  base = repo.commitFiles("base", { "a.txt": "one\n" });
  head = repo.commitFiles("head", { "a.txt": "one\ntwo\n" });
});
afterAll(() => repo.cleanup());

describe("secret verification wiring in the CLI", () => {
  it.each([
    { env: {}, offline: false, expected: false },
    { env: { PR_SENTINEL_VERIFY_SECRETS: "1" }, offline: false, expected: true },
    { env: { PR_SENTINEL_VERIFY_SECRETS: "true" }, offline: true, expected: false },
  ])("env $env, offline $offline: verifier given = $expected", async ({ env, offline, expected }) => {
    const { check, seen } = servicesRecorder();
    const argv = ["scan", "--base", base, "--head", head, ...(offline ? ["--offline"] : [])];
    const run = await cli(argv, { cwd: repo.dir, checks: [check], env: { PR_SENTINEL_VERIFY_SECRETS: undefined, ...env } });
    expect(run.code).toBe(0);
    expect(seen).toHaveLength(1);
    expect(SECRET_VERIFIER_SERVICE in seen[0]!).toBe(expected);
    expect("fetch" in seen[0]!).toBe(!offline);
  });
});
