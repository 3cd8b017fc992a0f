/**
 * Real-style Dockerfiles through the real policy check: the safe set (written in the style of
 * well-known projects' images) yields no Dockerfile finding at all; the labelled unsafe set yields
 * exactly its problems, each on its line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dockerfileAudits } from "../../../../src/checks/policy/audits/dockerfile/index.js";
import { dockerfileDomain } from "../../../../src/checks/policy/domains/dockerfile.js";
import { policyCheck } from "../../../../src/checks/policy/index.js";
import { linesReported } from "../../../helpers/rule-tester.js";

const FIXTURES = new URL("../../../fixtures/policy/dockerfile/", import.meta.url);
const read = (dir: string, name: string) => readFileSync(new URL(`${dir}/${name}`, FIXTURES), "utf8");

async function reportedBy(path: string, text: string): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const audit of dockerfileAudits) {
    const { lines, problems } = await linesReported(policyCheck, audit.id, { path, text });
    expect(problems, `${path}: the check could not judge it`).toEqual([]);
    if (lines.length > 0) out[audit.id] = lines;
  }
  return out;
}

describe("safe Dockerfiles", () => {
  const names = readdirSync(new URL("safe/", FIXTURES)).filter((n) => n.endsWith(".Dockerfile"));

  it("are at least eight, each read by the Dockerfile domain", () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
    for (const name of names) expect(dockerfileDomain.matches(`docker/${name}`)).toBe(true);
  });

  it.each(names)("%s yields no finding", async (name) => {
    expect(await reportedBy(`docker/${name}`, read("safe", name))).toEqual({});
  });
});

describe("labelled unsafe Dockerfiles", () => {
  const expected: Record<string, Record<string, number[]>> = {
    "node-latest-curl-bash.Dockerfile": { "latest-tag": [1], "root-user": [1], "curl-pipe-shell": [4] },
    "devcontainer-sudo.Dockerfile": { "sudo-usage": [5, 9], "chmod-777": [7], "root-user": [10] },
    "legacy-app.Dockerfile": { "latest-tag": [1], "secret-in-env": [3, 5], "add-url-without-checksum": [6], "curl-pipe-shell": [8] },
  };

  it.each(Object.keys(expected))("%s yields exactly its problems", async (name) => {
    expect(await reportedBy(`docker/${name}`, read("unsafe", name))).toEqual(expected[name]);
  });
});
