/**
 * The report format names alone, apart from the renderers: the CLI validates `--format` at start-up,
 * and importing reporters/index.ts for that loads every renderer and, through them, zod, yaml and the
 * config schema (~200 modules) before the scan has begun.
 */
export const REPORT_FORMATS = ["text", "json", "sarif", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}
