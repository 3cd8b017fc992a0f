import type { Audit } from "../../audit.js";
import type { TerraformDocument } from "../../domains/terraform.js";
import { iamWildcard } from "./iam-wildcard.js";
import { openIngress } from "./open-ingress.js";
import { publicDatabase } from "./public-database.js";
import { publicS3Bucket } from "./public-s3-bucket.js";
import { unencryptedStorage } from "./unencrypted-storage.js";

export const terraformAudits: readonly Audit<TerraformDocument>[] = [openIngress, unencryptedStorage, publicS3Bucket, iamWildcard, publicDatabase];
