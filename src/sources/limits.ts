/**
 * Limits both sources share, so the CLI and the app scan the same files: a lockfile the CLI reads
 * must not be refused by the app (it was: the app stopped at 2 MiB).
 */

/** Whole-file reads (`readHead()`, `readBase()`, files read as context) above this are refused with `ContentError("too-large")`. */
export const MAX_WHOLE_FILE_BYTES = 50 * 1024 * 1024;

export function tooLargeMessage(path: string, maxBytes: number = MAX_WHOLE_FILE_BYTES): string {
  return `${path}: larger than ${formatBytes(maxBytes)}, not read (the size cap for whole files)`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
