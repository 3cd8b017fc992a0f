export { createSecretVerifier, type SecretVerifierOptions } from "./verifier.js";
export { DEFAULT_BASE_URLS, type BaseUrls } from "./providers.js";
export {
  SECRET_VERIFIER_SERVICE,
  type SecretVerifier,
  type VerificationRequest,
  type VerificationResult,
  type VerificationStatus,
} from "./types.js";
