/**
 * Where the CLI's config comes from. Like the app, it reads `.github/pr-sentinel.yml` from the
 * BASE of the change, never from the change itself, so a branch cannot weaken its own scan; only
 * `--staged` (a pre-commit hook on the developer's own machine) reads the working tree.
 */
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { CONFIG_PATH, configFromObject, configFromText, MAX_CONFIG_BYTES } from "../core/config/load-config.js";
import type { PrSentinelConfig } from "../core/config/schema.js";
import type { Check } from "../core/types.js";
import type { ScanScope } from "../reporters/scan-scope.js";
import type { GitChange } from "../sources/git/open-git-change.js";
import { UsageError } from "./args.js";

export interface ConfigRequest {
  /** `--config FILE`, resolved against `cwd`. */
  readonly file?: string;
  readonly cwd: string;
  readonly staged: boolean;
  /** `--all`: no base to read the config at; the head's is the repository's own. */
  readonly all?: boolean;
  readonly change: Pick<GitChange, "root" | "baseRef" | "baseId" | "readAtBase" | "readAtHead" | "headRef" | "headId">;
  readonly checks: readonly Check[];
}

export interface LoadedConfig {
  readonly config: PrSentinelConfig;
  /** For people: where it came from. */
  readonly source: string;
  /** The same for reports (`changedByBranch` is the caller's to add: it knows the change). */
  readonly origin: Omit<ScanScope["config"], "changedByBranch">;
}

/** Throws `ConfigError` for an invalid config, `UsageError` for a file that cannot be read. */
export async function loadScanConfig(request: ConfigRequest): Promise<LoadedConfig> {
  if (request.file !== undefined) {
    const path = resolve(request.cwd, request.file);
    const text = await readText(path);
    if (text === null) throw new UsageError(`cannot read config file ${request.file}: it does not exist`);
    return {
      config: configFromText(text, request.file, request.checks),
      source: request.file,
      origin: { source: "file", path: request.file, commit: null, found: true },
    };
  }
  if (request.staged) {
    const text = await readText(join(request.change.root, CONFIG_PATH));
    const origin = { source: "working-tree", path: CONFIG_PATH, commit: null, found: text !== null } as const;
    return fromOptionalText(text, `${CONFIG_PATH} (working tree)`, origin, request.checks);
  }
  if (request.all) {
    let atHead: string | null;
    try {
      atHead = await request.change.readAtHead(CONFIG_PATH);
    } catch (error) {
      throw new UsageError(`cannot read ${CONFIG_PATH} at ${request.change.headRef}: ${(error as Error).message}`);
    }
    const origin = { source: "head", path: CONFIG_PATH, commit: request.change.headId ?? null, found: atHead !== null } as const;
    return fromOptionalText(atHead, `${CONFIG_PATH} at ${request.change.headRef}`, origin, request.checks);
  }
  let text: string | null;
  try {
    text = await request.change.readAtBase(CONFIG_PATH);
  } catch (error) {
    throw new UsageError(`cannot read ${CONFIG_PATH} at ${request.change.baseRef}: ${(error as Error).message}`);
  }
  const origin = { source: "base", path: CONFIG_PATH, commit: request.change.baseId, found: text !== null } as const;
  return fromOptionalText(text, `${CONFIG_PATH} at ${request.change.baseRef}`, origin, request.checks);
}

function fromOptionalText(text: string | null, source: string, origin: LoadedConfig["origin"], checks: readonly Check[]): LoadedConfig {
  if (text === null) return { config: configFromObject({}, "defaults", checks), source: "defaults (no config file)", origin };
  return { config: configFromText(text, source, checks), source, origin };
}

/**
 * A config path may name a device, a FIFO or a huge file (in the working tree, a symlink the
 * repository planted): only a regular file within the config size cap is read, so the CLI neither
 * hangs nor fills memory before it can say what is wrong.
 */
async function readText(path: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`cannot read config file ${path}: it is not a regular file`);
    if (info.size > MAX_CONFIG_BYTES) throw new UsageError(`cannot read config file ${path}: it is larger than ${MAX_CONFIG_BYTES / 1024} KiB`);
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new UsageError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
}
