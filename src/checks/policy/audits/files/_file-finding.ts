/**
 * How every file audit reports: one finding per file, keyed by the file's base name (the check
 * prefixes the audit id), never by a line or by content; on line 1 unless the content shows where
 * the credential is. Under a test folder the severity drops to low: a fixture key is usually fake,
 * but a real one pasted there is leaked all the same, so it is still reported.
 */
import type { Confidence, Severity } from "../../../../core/types.js";
import type { AuditFinding } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { describePath, isTestPath } from "./_file-path.js";

export interface FileFindingInput {
  readonly line?: number;
  readonly message: string;
  readonly severity: Severity;
  readonly confidence?: Confidence;
  /** The file is test data by its own name (`.env.test`), wherever it sits. */
  readonly testData?: boolean;
}

export function fileFinding(doc: FileDocument, input: FileFindingInput): AuditFinding {
  const lowered = input.severity !== "low" && input.severity !== "info" && (input.testData === true || isTestPath(doc.path));
  return {
    line: input.line ?? 1,
    message: lowered ? `${input.message} (It is test data by its name or folder, so it is reported at low severity.)` : input.message,
    key: describePath(doc.path).baseName,
    severity: lowered ? "low" : input.severity,
    ...(input.confidence !== undefined ? { confidence: input.confidence } : {}),
  };
}
