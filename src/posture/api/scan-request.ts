/**
 * The body of `POST /api/v1/scan`, validated into what the engine needs. It takes what the CLI
 * takes: `fail_on` (`--fail-on`), `format` (`--format`, json or sarif), which checks run, and a
 * config object validated by the same schema as `.github/pr-sentinel.yml`. Two keys of that file
 * cannot work here and are refused rather than ignored: `_extends` (another repository's config,
 * which the API cannot read: send the merged config) and `baseline` (a file in a repository: send
 * its entries as `allowlist`). Every problem is reported with a JSON pointer into the body.
 */
import { z } from "zod";
import { ConfigError, configFromObject } from "../../core/config/load-config.js";
import type { PrSentinelConfig } from "../../core/config/schema.js";
import { SEVERITIES, type ChangedFile, type Check } from "../../core/types.js";
import { changedFilesFromDiff, DiffInputError } from "./diff-input.js";
import { changedFilesFromContents } from "./files-input.js";
import { jsonPointer, type PointerError } from "./problem.js";

export const MAX_FILES = 10_000;
const MAX_PATH_CHARS = 1024;

export type ScanFormat = "json" | "sarif";

export interface ScanPlan {
  readonly files: readonly ChangedFile[];
  readonly config: PrSentinelConfig;
  readonly format: ScanFormat;
  readonly input: "diff" | "files";
}

export class ScanRequestError extends Error {
  constructor(readonly errors: readonly PointerError[]) {
    super(errors.map((e) => `${e.pointer || "(body)"}: ${e.detail}`).join("; "));
    this.name = "ScanRequestError";
  }
}

const pathSchema = z
  .string()
  .min(1)
  .max(MAX_PATH_CHARS)
  .refine((p) => !/[\u0000-\u001f\u007f\\]/.test(p) && !p.startsWith("/") && p.split("/").every((part) => part !== "" && part !== "." && part !== ".."), {
    message: "expected a relative path with forward slashes (no leading `/`, no empty, `.` or `..` parts, no control characters)",
  });

const checkIds = z.array(z.string().max(100)).max(100);

const requestSchema = z.strictObject({
  diff: z.string().optional(),
  files: z
    .array(z.strictObject({ path: pathSchema, content: z.string(), base_content: z.string().nullable().optional() }))
    .min(1)
    .max(MAX_FILES)
    .optional(),
  fail_on: z.enum([...SEVERITIES, "never"]).optional(),
  checks: z.strictObject({ enable: checkIds.optional(), disable: checkIds.optional() }).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  format: z.enum(["json", "sarif"]).default("json"),
});

type ScanRequestBody = z.infer<typeof requestSchema>;

export function parseScanRequest(body: Buffer, checks: readonly Check[]): ScanPlan {
  const request = validateShape(parseJson(body));
  const config = buildConfig(request, checks);
  let files: ChangedFile[];
  if (request.diff !== undefined) {
    try {
      files = changedFilesFromDiff(request.diff);
    } catch (error) {
      if (error instanceof DiffInputError) throw new ScanRequestError([{ pointer: "/diff", detail: error.message }]);
      throw error;
    }
  } else {
    const seen = new Map<string, number>();
    const duplicates: PointerError[] = [];
    request.files!.forEach((f, i) => {
      const first = seen.get(f.path);
      if (first !== undefined) duplicates.push({ pointer: `/files/${i}/path`, detail: `the same path as /files/${first}/path` });
      else seen.set(f.path, i);
    });
    if (duplicates.length > 0) throw new ScanRequestError(duplicates.slice(0, 20));
    files = changedFilesFromContents(request.files!);
  }
  return { files, config, format: request.format, input: request.diff !== undefined ? "diff" : "files" };
}

function parseJson(body: Buffer): unknown {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new ScanRequestError([{ pointer: "", detail: "the body is not valid UTF-8" }]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 names the position ("at position 12 (line 1 column 13)"), never the text around it at length.
    const where = /position \d+(?: \(line \d+ column \d+\))?/.exec((error as Error).message)?.[0];
    throw new ScanRequestError([{ pointer: "", detail: `the body is not valid JSON${where ? ` (at ${where})` : ""}` }]);
  }
}

function validateShape(value: unknown): ScanRequestBody {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ScanRequestError([{ pointer: "", detail: 'expected a JSON object with "diff" or "files"' }]);
  }
  const result = requestSchema.safeParse(value);
  if (!result.success) {
    throw new ScanRequestError(result.error.issues.slice(0, 20).map((issue) => ({ pointer: jsonPointer(issue.path), detail: issueText(issue) })));
  }
  const { diff, files } = result.data;
  if ((diff === undefined) === (files === undefined)) {
    throw new ScanRequestError([{ pointer: "", detail: 'send exactly one of "diff" (a unified diff) and "files" (paths with contents)' }]);
  }
  return result.data;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k.slice(0, 60))).join(", ")}`;
  return issue.message;
}

function buildConfig(request: ScanRequestBody, checks: readonly Check[]): PrSentinelConfig {
  const raw: Record<string, unknown> = { ...(request.config ?? {}) };
  const refused: PointerError[] = [];
  if ("_extends" in raw) refused.push({ pointer: "/config/_extends", detail: "the scan API cannot read another repository's config: send the merged config instead" });
  if ("baseline" in raw) refused.push({ pointer: "/config/baseline", detail: "the scan API cannot read a baseline file from a repository: send its entries as `allowlist` instead" });
  const known = new Set(checks.map((c) => c.meta.id));
  const toggles = new Map<string, boolean>();
  for (const [key, enabled] of [["enable", true], ["disable", false]] as const) {
    (request.checks?.[key] ?? []).forEach((id, i) => {
      if (!known.has(id)) refused.push({ pointer: `/checks/${key}/${i}`, detail: `unknown check ${JSON.stringify(id.slice(0, 60))}; the checks are ${[...known].join(", ")}` });
      else if (toggles.get(id) === !enabled) refused.push({ pointer: `/checks/${key}/${i}`, detail: `check ${id} is both enabled and disabled` });
      else toggles.set(id, enabled);
    });
  }
  if (refused.length > 0) throw new ScanRequestError(refused);
  if (toggles.size > 0) {
    const entries = raw.checks;
    // A non-object `checks` is left for the schema to name.
    if (entries === undefined || (entries !== null && typeof entries === "object" && !Array.isArray(entries))) {
      const merged: Record<string, unknown> = { ...(entries as Record<string, unknown> | undefined) };
      for (const [id, enabled] of toggles) {
        const entry = merged[id];
        merged[id] = entry !== null && typeof entry === "object" && !Array.isArray(entry) ? { ...entry, enabled } : entry === undefined ? { enabled } : entry;
      }
      raw.checks = merged;
    }
  }
  if (request.fail_on !== undefined) raw.fail_on = request.fail_on;
  try {
    return configFromObject(raw, "config", checks);
  } catch (error) {
    if (error instanceof ConfigError) throw new ScanRequestError(error.problems.slice(0, 20).map((problem) => ({ pointer: configPointer(problem), detail: problem })));
    throw error;
  }
}

/** ConfigError problems start with the key path in backticks: `checks.secrets.entropy`. */
function configPointer(problem: string): string {
  const path = /^`([^`]*)`/.exec(problem)?.[1];
  if (path === undefined) return "/config";
  return `/config${jsonPointer(path.replace(/\[(\d+)\]/g, ".$1").split(".").filter((p) => p !== ""))}`;
}
