/**
 * No Docker engine runs here, so the Dockerfile is checked by parsing it: a multi-stage build whose
 * runtime stage is small, non-root, listens on all interfaces, has a health check and runs
 * `npm start`, and a .dockerignore that keeps private keys out of the build context.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Instructions by stage, with line continuations joined and comments dropped. */
function parseDockerfile(text: string): Instruction[][] {
  const joined = text
    .split("\n")
    .filter((line) => !/^\s*#/.test(line))
    .join("\n")
    .replace(/\\\n/g, " ");
  const stages: Instruction[][] = [];
  for (const line of joined.split("\n")) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const instruction = { keyword: match[1]!.toUpperCase(), args: match[2]!.replace(/\s+/g, " ").trim() };
    if (instruction.keyword === "FROM") stages.push([]);
    stages.at(-1)?.push(instruction);
  }
  return stages;
}

const stages = parseDockerfile(readFileSync(new URL("../Dockerfile", import.meta.url), "utf8"));
const build = stages[0] ?? [];
const runtime = stages.at(-1) ?? [];
const args = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

describe("Dockerfile", () => {
  it("builds in a node:20-slim stage with npm ci, the build and a production prune", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(args(build, "FROM")[0]).toMatch(/^node:20-slim AS build$/i);
    const runs = args(build, "RUN").join(" && ");
    expect(runs).toContain("npm ci");
    expect(runs).toContain("npm run build");
    expect(runs).toContain("npm prune --omit=dev");
    expect(runs.indexOf("npm ci")).toBeLessThan(runs.indexOf("npm run build"));
  });

  it("runs as a non-root user in production mode, listening on all interfaces", () => {
    expect(args(runtime, "FROM")[0]).toMatch(/^node:20-slim\b/);
    const user = args(runtime, "USER").at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const env = args(runtime, "ENV").join(" ");
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
  });

  it("checks health with node against /healthz and starts with npm start", () => {
    const health = args(runtime, "HEALTHCHECK").at(-1) ?? "";
    expect(health).toMatch(/CMD \[\s*"node"/);
    expect(health).toContain("/healthz");
    expect(args(runtime, "CMD").at(-1)).toBe('["npm", "start"]');
  });

  it("copies only build output, production dependencies and the manifest into the runtime stage", () => {
    for (const copy of args(runtime, "COPY")) {
      expect(copy).not.toMatch(/(^|\s)\.\s+\.(\/)?$/);
      expect(copy).not.toMatch(/\.pem\b|\.env\b/);
      if (!copy.includes("--from=build")) expect(copy).toMatch(/app\.yml/);
    }
    expect(args(build, "COPY").join(" ")).not.toMatch(/(^|\s)\.\s+\./);
  });
});

describe(".dockerignore", () => {
  const ignored = readFileSync(new URL("../.dockerignore", import.meta.url), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it("keeps private keys, .env and local builds out of the build context", () => {
    expect(ignored).toContain("**/*.pem");
    expect(ignored).toContain(".env");
    expect(ignored).toContain("node_modules");
    expect(ignored).toContain("dist");
  });
});
