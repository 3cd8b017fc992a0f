import { describe, expect, it } from "vitest";
import { renderJson } from "../../src/reporters/json.js";
import { renderMarkdown } from "../../src/reporters/markdown.js";
import { baseChoiceLabel, configChangeNote, configLabel, nothingScannedReason, rangeLabel } from "../../src/reporters/scan-scope.js";
import { fullResult, scanResult } from "./sample-result.js";
import { BASE_COMMIT, HEAD_COMMIT, sampleScope, stagedScope } from "./sample-scope.js";

const CONFIG = ".github/pr-sentinel.yml";

describe("scan scope sentences", () => {
  it("names the range with short commits and says how the base was chosen", () => {
    expect(rangeLabel(sampleScope())).toBe("main@8de3ad9…HEAD@1a2b3c4");
    expect(baseChoiceLabel(sampleScope())).toBe("base: the merge-base of HEAD and main");
    const flagged = sampleScope({ base: { ref: "v1.2.0", commit: BASE_COMMIT, chosenBy: "flag" } });
    expect([rangeLabel(flagged), baseChoiceLabel(flagged)]).toEqual(["v1.2.0@8de3ad9…HEAD@1a2b3c4", "base from --base"]);
    expect([rangeLabel(stagedScope()), baseChoiceLabel(stagedScope())]).toEqual(["HEAD@8de3ad9…index", "--staged: the index against HEAD"]);
    const first = stagedScope({ base: { ref: "empty tree", commit: null, chosenBy: "no-commits" } });
    expect(rangeLabel(first)).toBe("empty tree…index");
    const ids = sampleScope({ base: { ref: BASE_COMMIT, commit: BASE_COMMIT, chosenBy: "flag" }, head: { ref: "1a2b3c4d", commit: HEAD_COMMIT } });
    expect(rangeLabel(ids)).toBe("8de3ad9…1a2b3c4");
    expect(baseChoiceLabel(first)).toContain("without commits");
  });

  it("names the config: at base, --config, working tree, or the defaults", () => {
    expect(configLabel(sampleScope())).toBe(".github/pr-sentinel.yml at base 8de3ad9");
    const missing = sampleScope({ config: { source: "base", path: CONFIG, commit: BASE_COMMIT, found: false, changedByBranch: false } });
    expect(configLabel(missing)).toBe("defaults: no .github/pr-sentinel.yml at base 8de3ad9");
    expect(configLabel(sampleScope({ config: { source: "file", path: "ci.yml", commit: null, found: true, changedByBranch: false } }))).toBe("--config ci.yml");
    expect(configLabel(stagedScope())).toBe(".github/pr-sentinel.yml in the working tree");
  });

  it("says when the branch changes the config, and when that takes effect", () => {
    expect(configChangeNote(sampleScope(), CONFIG)).toBeUndefined();
    const changed = sampleScope({ config: { ...sampleScope().config, changedByBranch: true } });
    expect(configChangeNote(changed, CONFIG)).toMatch(/^the branch changes \.github\/pr-sentinel\.yml; that takes effect after merge/);
    expect(configChangeNote(stagedScope({ config: { ...stagedScope().config, changedByBranch: true } }), CONFIG)).toContain("--staged uses the working-tree copy now");
  });

  it("explains an empty scan and points at --base", () => {
    expect(nothingScannedReason(sampleScope(), 3)).toBeUndefined();
    const same = sampleScope({ changedFiles: 0, matchedFiles: 0, head: { ref: "HEAD", commit: BASE_COMMIT } });
    expect(nothingScannedReason(same, 0)).toBe(
      "no files changed in main@8de3ad9…HEAD@8de3ad9 (HEAD is the base itself: you are on main, or the branch has no commits of its own); pass --base REF (e.g. --base HEAD~1) to compare with an earlier commit, or --all to scan every tracked file",
    );
    expect(nothingScannedReason(stagedScope({ changedFiles: 0, matchedFiles: 0 }), 0)).toMatch(/^nothing is staged/);
    expect(nothingScannedReason(sampleScope({ paths: ["docs/"], matchedFiles: 0 }), 0)).toBe("none of the 3 changed files matches docs/");
    expect(nothingScannedReason(sampleScope(), 0)).toBe("all 3 changed files are left out by paths.ignore");
  });
});

describe("JSON scope", () => {
  it("is null without a scope and a copied object with one", () => {
    expect(JSON.parse(renderJson(fullResult(), { toolVersion: "0.1.0" })).scope).toBeNull();
    const report = JSON.parse(renderJson(fullResult(), { toolVersion: "0.1.0", scope: sampleScope({ paths: ["src"], matchedFiles: 2 }) }));
    expect(report.scope).toEqual({
      range: "main@8de3ad9…HEAD@1a2b3c4",
      staged: false,
      base: { ref: "main", commit: BASE_COMMIT, chosenBy: "merge-base" },
      head: { ref: "HEAD", commit: HEAD_COMMIT },
      config: { source: "base", path: CONFIG, commit: BASE_COMMIT, found: true, changedByBranch: false },
      changedFiles: 3,
      paths: ["src"],
      matchedFiles: 2,
    });
  });
});

describe("Markdown scope", () => {
  it("adds nothing without a scope (the app's check run)", () => {
    expect(renderMarkdown(fullResult(), { toolVersion: "0.1.0" })).not.toContain("Scanned");
  });

  it("names the range, the base's origin, the config and a config change under the title", () => {
    const scope = sampleScope({ config: { ...sampleScope().config, changedByBranch: true } });
    const lines = renderMarkdown(fullResult(), { toolVersion: "0.1.0", scope }).split("\n");
    expect(lines.find((l) => l.startsWith("Scanned"))).toBe("Scanned `main@8de3ad9…HEAD@1a2b3c4` (base\\: the merge\\-base of HEAD and main), 3 changed files. Config: \\.github/pr\\-sentinel\\.yml at base 8de3ad9.");
    // No zero-width joiner in the range: it would be copied along with the commit ids.
    expect(lines.join("\n")).not.toMatch(/Scanned [^\n]*\u200d/);
    expect(lines.find((l) => l.startsWith("**Note:**"))).toMatch(/^\*\*Note:\*\* the branch changes \\\.github\/pr\\-sentinel\\\.yml; that takes effect after merge/);
  });

  it("says nothing was scanned rather than leaving a bare pass", () => {
    const scope = sampleScope({ changedFiles: 0, matchedFiles: 0 });
    const text = renderMarkdown(scanResult({ stats: { files: 0, addedLines: 0, durationMs: 1, distinctFindings: 0 } }), { toolVersion: "0.1.0", scope });
    expect(text.split("\n")[2]).toMatch(/^\*\*Nothing scanned:\*\* no files changed in .*pass \\-\\-base REF/);
  });
});
