import type { Audit } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { binaryFile } from "./binary-file.js";
import { cloudCredentialsFile } from "./cloud-credentials-file.js";
import { credentialStoreFile } from "./credential-store-file.js";
import { envFile } from "./env-file.js";
import { kubeconfigCredentials } from "./kubeconfig-credentials.js";
import { largeFile } from "./large-file.js";
import { privateKeyFile } from "./private-key-file.js";
import { terraformState } from "./terraform-state.js";

export const fileAudits: readonly Audit<FileDocument>[] = [
  privateKeyFile,
  envFile,
  terraformState,
  kubeconfigCredentials,
  cloudCredentialsFile,
  credentialStoreFile,
  binaryFile,
  largeFile,
];
