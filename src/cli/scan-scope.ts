/**
 * Builds the report's `ScanScope` (src/reporters/scan-scope.ts) from what the CLI was asked and
 * what the git source resolved, so a report can say which commits it compared, why those, and which
 * config was in force.
 */
import { CONFIG_PATH } from "../core/config/load-config.js";
import type { ChangedFile } from "../core/types.js";
import type { ScanScope } from "../reporters/scan-scope.js";
import type { GitChange } from "../sources/git/open-git-change.js";
import type { ScanArgs } from "./args.js";
import type { LoadedConfig } from "./load-scan-config.js";

export interface ScopeInput {
  readonly args: Pick<ScanArgs, "base" | "head" | "staged" | "paths" | "all">;
  readonly change: Pick<GitChange, "files" | "ignoredFiles" | "baseChoice" | "baseId" | "headId">;
  readonly config: LoadedConfig["origin"];
  /** The changed files `scan PATH…` let through. */
  readonly matched: readonly ChangedFile[];
}

export function scanScope({ args, change, config, matched }: ScopeInput): ScanScope {
  return {
    staged: args.staged,
    base: base(args, change),
    head: args.staged ? { ref: "index", commit: null } : { ref: args.head ?? "HEAD", commit: change.headId ?? null },
    config: { ...config, changedByBranch: changesConfig(change.files) },
    // Files paths.ignore kept git from reading are still files the range changes.
    changedFiles: change.files.length + change.ignoredFiles,
    paths: [...args.paths],
    matchedFiles: matched.length,
  };
}

function base(args: ScopeInput["args"], change: ScopeInput["change"]): ScanScope["base"] {
  const choice = change.baseChoice;
  switch (choice.by) {
    case "all":
    case "no-commits":
      return { ref: "empty tree", commit: null, chosenBy: choice.by };
    case "flag":
      return { ref: args.base ?? change.baseId, commit: change.baseId, chosenBy: "flag" };
    case "staged-head":
      return { ref: "HEAD", commit: change.baseId, chosenBy: "staged-head" };
    case "merge-base":
      // The branch's name is what people know, not the merge-base's id.
      return { ref: choice.branch, commit: change.baseId, chosenBy: "merge-base" };
  }
}

export interface HistoryScopeInput {
  readonly args: Pick<ScanArgs, "head" | "since" | "paths">;
  readonly headId: string;
  readonly sinceId?: string;
  readonly config: LoadedConfig["origin"];
  /** Files of all commits scanned (a file changed in three commits counts three times). */
  readonly files: number;
}

/**
 * `scan --history`: from the first commit (the empty tree) or from `--since`, to the head; the
 * report's note says how many commits were scanned one by one.
 */
export function historyScope({ args, headId, sinceId, config, files }: HistoryScopeInput): ScanScope {
  return {
    staged: false,
    base: sinceId ? { ref: args.since!, commit: sinceId, chosenBy: "history" } : { ref: "empty tree", commit: null, chosenBy: "history" },
    head: { ref: args.head ?? "HEAD", commit: headId },
    config: { ...config, changedByBranch: false },
    changedFiles: files,
    paths: [...args.paths],
    matchedFiles: files,
  };
}

/** A rename away from the config path changes it just as much as an edit does. */
function changesConfig(files: readonly ChangedFile[]): boolean {
  return files.some((f) => f.path === CONFIG_PATH || f.previousPath === CONFIG_PATH);
}
