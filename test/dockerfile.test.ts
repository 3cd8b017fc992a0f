/**
 * No Docker engine runs here, so the Dockerfile is checked by parsing it: a multi-stage build whose
 * runtime stage is small, non-root, listens on all interfaces, has a health check and runs the
 * server with node directly (so `docker stop`'s SIGTERM reaches it), a CLI stage with git, every
 * stage on Node.js 24, and a .dockerignore that keeps private keys out of the build context.
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

const dockerfile = readFileSync(new URL("../Dockerfile", import.meta.url), "utf8");
const stages = parseDockerfile(dockerfile);
const build = stages[0] ?? [];
const runtime = stages.at(-1) ?? [];
const args = (stage: Instruction[], keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

describe("Dockerfile", () => {
  it("builds every stage from one Node.js 24 image pinned by digest, with npm ci, the build and a production prune", () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    const images = stages.map((stage) => /^(\S+) AS [a-z]+$/i.exec(args(stage, "FROM")[0] ?? "")?.[1]);
    // A tag alone can move on the registry; the digest is what ships. Dependabot refreshes it.
    for (const image of images) expect(image).toMatch(/^node:24-slim@sha256:[0-9a-f]{64}$/);
    expect(new Set(images).size).toBe(1);
    expect(args(build, "FROM")[0]).toMatch(/ AS build$/i);
    const runs = args(build, "RUN").join(" && ");
    expect(runs).toContain("npm ci");
    expect(runs).toContain("npm run build");
    expect(runs).toContain("npm prune --omit=dev");
    expect(runs.indexOf("npm ci")).toBeLessThan(runs.indexOf("npm run build"));
  });

  it("runs as a non-root user in production mode, listening on all interfaces", () => {
    expect(args(runtime, "FROM")[0]).toMatch(/ AS runtime$/);
    const user = args(runtime, "USER").at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const env = args(runtime, "ENV").join(" ");
    expect(env).toMatch(/\bNODE_ENV=production\b/);
    expect(env).toMatch(/\bHOST=0\.0\.0\.0\b/);
  });

  it("checks health with node against /healthz and runs the server with node itself, which gets SIGTERM", () => {
    const health = args(runtime, "HEALTHCHECK").at(-1) ?? "";
    expect(health).toMatch(/CMD \[\s*"node"/);
    expect(health).toContain("/healthz");
    expect(args(runtime, "CMD").at(-1)).toBe('["node", "dist/app/server.js"]');
  });

  it("has a CLI stage with git that runs the CLI as a non-root user", () => {
    const cli = stages.find((s) => / AS cli$/i.test(args(s, "FROM")[0] ?? ""));
    expect(cli).toBeDefined();
    expect(args(cli!, "RUN").join(" ")).toMatch(/apt-get install[^&]*\bgit\b/);
    expect(args(cli!, "USER").at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(args(cli!, "ENTRYPOINT").at(-1)).toMatch(/dist\/cli\/main\.js/);
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
