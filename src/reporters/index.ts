/**
 * The four report formats behind one call, so the CLI and the app never pick a renderer by hand.
 */
import type { ScanResult } from "../core/types.js";
import { renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import type { ReportFormat } from "./formats.js";
import type { ScanScope } from "./scan-scope.js";
import { renderText } from "./text.js";

export { isReportFormat, REPORT_FORMATS, type ReportFormat } from "./formats.js";

export interface RenderOptions {
  /** ANSI colors in `text` (the caller decides: a TTY and no `NO_COLOR`); ignored by the other formats. */
  readonly color: boolean;
  /** pr-sentinel's version, shown in reports and in SARIF's `tool.driver.version`. */
  readonly toolVersion: string;
  /** What was scanned (the CLI knows it): text, json and markdown name it; sarif ignores it. */
  readonly scope?: ScanScope;
  /** `text` only: each finding's risk and help link, and every check's outcome. */
  readonly verbose?: boolean;
}

export function renderReport(format: ReportFormat, result: ScanResult, options: RenderOptions): string {
  switch (format) {
    case "text":
      return renderText(result, options);
    case "json":
      return renderJson(result, options);
    case "sarif":
      return renderSarif(result, options);
    case "markdown":
      return renderMarkdown(result, { toolVersion: options.toolVersion, scope: options.scope });
  }
}

export { renderText, renderJson, renderSarif, renderMarkdown };
export type { ScanScope } from "./scan-scope.js";
