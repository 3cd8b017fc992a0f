import { mkdirSync, mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../../src/cli/args.js";
import { createScanPathFilter } from "../../src/cli/path-filter.js";

let root: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), "pr-sentinel-paths-")));
  mkdirSync(join(root, "src", "lib"), { recursive: true });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FILES = ["README.md", "src/a.ts", "src/lib/b.ts", "src/lib/c.json", "srcx/d.ts", "docs/e.md"];

function kept(paths: string[], cwd = root): string[] {
  const keep = createScanPathFilter(paths, cwd, root);
  return keep ? FILES.filter(keep) : FILES;
}

describe("createScanPathFilter", () => {
  it("passes everything without paths, or with the root itself", () => {
    expect(createScanPathFilter([], root, root)).toBeUndefined();
    expect(kept(["."])).toEqual(FILES);
  });

  it("takes a plain path as a file or everything below a folder, never a name prefix", () => {
    expect(kept(["src"])).toEqual(["src/a.ts", "src/lib/b.ts", "src/lib/c.json"]);
    expect(kept(["./src/lib/", "README.md"])).toEqual(["README.md", "src/lib/b.ts", "src/lib/c.json"]);
    expect(kept(["src/a"])).toEqual([]);
  });

  it("resolves paths and globs against the current directory", () => {
    const sub = join(root, "src");
    expect(kept(["lib"], sub)).toEqual(["src/lib/b.ts", "src/lib/c.json"]);
    expect(kept(["*.ts"], sub)).toEqual(["src/a.ts", "src/lib/b.ts"]);
    expect(kept(["lib/*.json"], sub)).toEqual(["src/lib/c.json"]);
    expect(kept(["../docs"], sub)).toEqual(["docs/e.md"]);
  });

  it("matches globs like paths.ignore does at the root", () => {
    expect(kept(["*.md"])).toEqual(["README.md", "docs/e.md"]);
    expect(kept(["src/**/*.ts"])).toEqual(["src/a.ts", "src/lib/b.ts"]);
  });

  it("refuses a path outside the repository, a glob climbing out, and a glob RE2 cannot run", () => {
    expect(() => kept(["../elsewhere"])).toThrow(UsageError);
    expect(() => kept(["../elsewhere"])).toThrow("outside the repository");
    expect(() => kept(["../*.ts"], join(root, "src"))).toThrow('contains ".."');
    expect(() => kept(["!(a).ts"])).toThrow(UsageError);
  });
});
