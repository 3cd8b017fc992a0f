/**
 * Where the CLI's config comes from. Like the app, it reads `.github/pr-sentinel.yml` from the
 * BASE of the change, never from the change itself, so a branch cannot weaken its own scan; only
 * `--staged` (a pre-commit hook on the developer's own machine) reads the working tree. The
 * baseline file the config names (`baseline:`) is read from the same place, for the same reason:
 * a branch that adds a secret and a baseline entry for it must still fail.
 */
import { readFile, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { baselineFromText, MAX_BASELINE_BYTES } from "../core/config/baseline-file.js";
import { CONFIG_PATH, ConfigError, configFromObject, configFromText, MAX_CONFIG_BYTES } from "../core/config/load-config.js";
import type { PrSentinelConfig } from "../core/config/schema.js";
import type { Baseline } from "../core/suppressions.js";
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
  /** Read the baseline file the config names (default true); `pr-sentinel baseline` rewrites it instead. */
  readonly withBaseline?: boolean;
}

export interface LoadedConfig {
  readonly config: PrSentinelConfig;
  /** For people: where it came from. */
  readonly source: string;
  /** The same for reports (`changedByBranch` is the caller's to add: it knows the change). */
  readonly origin: Omit<ScanScope["config"], "changedByBranch">;
  /** The baseline file `baseline:` names, read from where the config was. */
  readonly baseline?: Baseline;
}

/** Throws `ConfigError` for an invalid config or baseline, `UsageError` for a file that cannot be read. */
export async function loadScanConfig(request: ConfigRequest): Promise<LoadedConfig> {
  const loaded = await loadConfigOnly(request);
  const path = loaded.config.baseline;
  if (path === undefined || request.withBaseline === false) return loaded;
  return { ...loaded, baseline: await loadBaseline(path, loaded.origin, request) };
}

/** The baseline at the config's own place: the same commit, the working tree for --staged and --config. */
async function loadBaseline(path: string, origin: LoadedConfig["origin"], request: ConfigRequest): Promise<Baseline> {
  const { change } = request;
  let text: string | null;
  let where: string;
  if (origin.source === "base" || origin.source === "head") {
    const ref = origin.source === "base" ? change.baseRef : change.headRef;
    where = `${path} at ${ref}`;
    try {
      text = origin.source === "base" ? await change.readAtBase(path) : await change.readAtHead(path);
    } catch (error) {
      throw new UsageError(`cannot read the baseline ${where}: ${(error as Error).message}`);
    }
  } else {
    where = `${path} (working tree)`;
    text = await readText(join(change.root, path), MAX_BASELINE_BYTES, "baseline file");
  }
  if (text === null) {
    throw new ConfigError(where, [`\`baseline\` in the config names this file, and it does not exist there (write it with pr-sentinel baseline --output ${path}, and commit it)`]);
  }
  return baselineFromText(text, where, path);
}

async function loadConfigOnly(request: ConfigRequest): Promise<LoadedConfig> {
  if (request.file !== undefined) {
    const path = resolve(request.cwd, request.file);
    const text = await readText(path, MAX_CONFIG_BYTES, "config file");
    if (text === null) throw new UsageError(`cannot read config file ${request.file}: it does not exist`);
    return {
      config: configFromText(text, request.file, request.checks),
      source: request.file,
      origin: { source: "file", path: request.file, commit: null, found: true },
    };
  }
  if (request.staged) {
    const text = await readText(join(request.change.root, CONFIG_PATH), MAX_CONFIG_BYTES, "config file");
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
async function readText(path: string, maxBytes: number, what: string): Promise<string | null> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UsageError(`cannot read ${what} ${path}: it is not a regular file`);
    if (info.size > maxBytes) throw new UsageError(`cannot read ${what} ${path}: it is larger than ${sizeText(maxBytes)}`);
    return await readFile(path, "utf8");
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KiB`;
}
