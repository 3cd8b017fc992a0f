/**
 * Live verification asks a provider whether a found credential works. It is an operator's choice
 * (env `PR_SENTINEL_VERIFY_SECRETS=1`, read by the app and the CLI), never a repository's: a
 * pull request must not be able to make pr-sentinel send a credential anywhere. The check receives
 * a `SecretVerifier` as `services.secretVerifier` and knows nothing else about it.
 */

export type VerificationStatus = "active" | "inactive" | "unknown";

export interface VerificationResult {
  readonly status: VerificationStatus;
  /** Short, secret-free: "GitHub user octocat", "HTTP 503", "timed out". */
  readonly detail?: string;
}

export interface VerificationRequest {
  /** The rule's `verifier` name: github, gitlab, slack, stripe, openai, npm, aws. */
  readonly verifier: string;
  readonly secret: string;
  /**
   * Other values found in the same file that the credential may need: for AWS, the access key
   * ids found next to a secret access key (or the reverse).
   */
  readonly related?: readonly string[];
}

export interface SecretVerifier {
  /** Which verifier names it can check. */
  supports(verifier: string): boolean;
  /** Never throws: failures are `unknown`, and a failed verification never hides a finding. */
  verify(request: VerificationRequest, signal?: AbortSignal): Promise<VerificationResult>;
}

/** The key under which callers inject a verifier into `CheckContext.services`. */
export const SECRET_VERIFIER_SERVICE = "secretVerifier" as const;

export function isSecretVerifier(value: unknown): value is SecretVerifier {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as SecretVerifier).verify === "function" &&
    typeof (value as SecretVerifier).supports === "function"
  );
}
