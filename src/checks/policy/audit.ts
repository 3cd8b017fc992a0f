/**
 * An audit is the policy check's unit of extension (zizmor's layout): one file per audit with its
 * metadata, the attack it stops in one sentence, the fix with a link, samples that must and must not
 * be found, and `run` over one parsed document of its domain. The check, not the audit, decides what
 * is new in the change: audits judge a whole document and say what makes each finding itself.
 */
import type { Confidence, Severity } from "../../core/types.js";
import type { PolicyOptions } from "./options.js";

/** The kind of file an audit reads; each domain has one parser (domains/). */
export type PolicyDomainId = "workflow" | "dockerfile" | "kubernetes" | "terraform" | "file";

export interface AuditFinding {
  /** 1-based line of the offending construct in the document. */
  readonly line: number;
  readonly endLine?: number;
  readonly message: string;
  /**
   * What makes the finding itself, independent of its line: a job and step name, an instruction's
   * text, a resource address. A finding whose key the base already had is not the change's.
   * Default: the audit id and the text of `line`.
   */
  readonly key?: string;
  readonly severity?: Severity;
  readonly confidence?: Confidence;
  /** Replacement text for lines `line`..`endLine` (a one-click GitHub suggestion). */
  readonly suggestion?: string;
}

export interface AuditContext {
  readonly options: PolicyOptions;
  /** The repository being scanned, when known: a reusable workflow of the same owner is not third-party. */
  readonly repository?: { readonly owner: string };
}

/** A sample document. `path` defaults to the domain's usual file name. */
export interface AuditSample {
  readonly path?: string;
  readonly text: string;
  /** For invalid samples: the lines the audit must report, and no others. */
  readonly lines?: readonly number[];
  /** Options for this sample, merged over the defaults (e.g. a pin policy). */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Why this sample matters, when it is not obvious. */
  readonly note?: string;
}

export interface Audit<Doc = unknown> {
  /** Equals the file name under audits/<domain>/; the rule id is `policy/<id>`. */
  readonly id: string;
  readonly domain: PolicyDomainId;
  readonly title: string;
  /** The attack, in one sentence. */
  readonly description: string;
  readonly severity: Severity;
  readonly confidence: Confidence;
  /** The fix as a step. */
  readonly remediation: string;
  /** Where to read more (the vendor's or the community's page on this problem). */
  readonly link: string;
  readonly samples: {
    readonly valid: readonly AuditSample[];
    readonly invalid: readonly (AuditSample & { readonly lines: readonly number[] })[];
  };
  run(doc: Doc, context: AuditContext): readonly AuditFinding[];
}

/** Helper so authors get the document type checked without repeating it. */
export function defineAudit<Doc>(audit: Audit<Doc>): Audit<Doc> {
  return audit;
}

/** A file that does not parse as its domain; the check names it and the line. */
export class PolicyParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "PolicyParseError";
  }
}

/** One domain: which files it reads and how it parses them. */
export interface PolicyDomain<Doc = unknown> {
  readonly id: PolicyDomainId;
  /** For docs: `.github/workflows/*.yml, action.yml`. */
  readonly files: string;
  /**
   * Whether this domain reads the file. `text` is given for domains that decide by content
   * (Kubernetes manifests are YAML files with `apiVersion` and `kind`); `undefined` when the file
   * has not been read yet, and then the domain answers by path alone (`maybe` asks to read it).
   */
  matches(path: string, text?: string): boolean | "maybe";
  /** Throws `PolicyParseError` (with a line where known) for a file that is not valid for the domain. */
  parse(text: string, path: string): Doc;
}
