/**
 * Microsoft's "identifiable" Azure keys (Microsoft.Security.Utilities, `IdentifiableSecrets`):
 * random bytes whose base64 text ends in a 4-character service signature (`+ASt` storage, `ACDb`
 * Cosmos DB, `AzFu` Functions...) and then 6 characters that encode the last 4 bytes: the
 * little-endian Marvin32 of every byte before them, under a seed that names the key kind. A value
 * with the signature but a wrong checksum was typed or altered: it is no key. Keys issued before a
 * service adopted the format have no signature and no checksum, so rules that also see them use
 * `checksumHoldsWhenSigned`, which judges only values that carry a signature (a random legacy key
 * shows one at that place with odds of 1 in 64^4).
 *
 * Entra ID client secrets with `8Q~` after their first three characters carry a 3-character
 * checksum of their own: the first three characters of the Marvin32 (seed "AadPwd00") of the rest,
 * written in the secret's 66-character alphabet. `7Q~` secrets are older and carry none.
 *
 * Not validated here: the newer "common annotated" keys (`JQQJ9` at offset 52, Cognitive Services,
 * OpenAI, App Configuration...), whose published code accepts several checksum encodings.
 */
import { decodeBase64 } from "./base64.js";
import { marvin32, seedFromName, type MarvinSeed } from "./marvin32.js";

export interface IdentifiableKeyFormat {
  /** The 4 characters before the encoded checksum. */
  readonly signature: string;
  /** Seed names (8 ASCII characters) of the key kinds that share the signature. */
  readonly seeds: readonly string[];
  /** Decoded length in bytes: 32 (44 characters), 39 (52), 40 (56) or 64 (88). */
  readonly bytes: number;
  /** Written with `-` and `_` (URL-safe base64) instead of `+` and `/`. */
  readonly urlSafe?: boolean;
  /** Azure Cache for Redis also issues keys re-encoded with `+` and `/` replaced by `P` and `F`. */
  readonly plusSlashAsPF?: boolean;
}

const seedCache = new Map<string, MarvinSeed>();
function seed(name: string): MarvinSeed {
  let value = seedCache.get(name);
  if (!value) seedCache.set(name, (value = seedFromName(name)));
  return value;
}

/** Base64 characters without padding for a number of bytes. */
function encodedLength(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/** The key without its `=` padding when it has the format's length and signature, else undefined. */
function signedBody(key: string, format: IdentifiableKeyFormat): string | undefined {
  const body = key.replace(/={1,2}$/, "");
  if (body.length !== encodedLength(format.bytes)) return undefined;
  return body.slice(-10, -6) === format.signature ? body : undefined;
}

function checksumMatches(bytes: Buffer, seeds: readonly string[]): boolean {
  const data = bytes.subarray(0, bytes.length - 4);
  const stored = bytes.readUInt32LE(bytes.length - 4);
  return seeds.some((name) => marvin32(data, seed(name)) === stored);
}

/** Redis keys re-encoded after `+`/`/` became `P`/`F`: the checksum is that of the re-decoded bytes. */
function matchesWithPlusSlashAsPF(body: string, bytes: Buffer, seeds: readonly string[]): boolean {
  const data = bytes.subarray(0, bytes.length - 4);
  return seeds.some((name) => {
    const copy = Buffer.from(bytes);
    copy.writeUInt32LE(marvin32(data, seed(name)), copy.length - 4);
    return copy.toString("base64").replace(/=+$/, "").replace(/\+/g, "P").replace(/\//g, "F") === body;
  });
}

/** True when `key` has the format's length and signature and its checksum holds under one of its seeds. */
export function hasValidIdentifiableChecksum(key: string, format: IdentifiableKeyFormat): boolean {
  const body = signedBody(key, format);
  if (!body) return false;
  if (!(format.urlSafe ? /^[A-Za-z0-9_-]+$/ : /^[A-Za-z0-9+/]+$/).test(body)) return false;
  const bytes = decodeBase64(body);
  if (!bytes || bytes.length !== format.bytes) return false;
  // Base64 leaves unused bits in the last character; only the encoder's own text is the key.
  if (bytes.toString(format.urlSafe ? "base64url" : "base64").replace(/=+$/, "") !== body) return false;
  if (checksumMatches(bytes, format.seeds)) return true;
  return format.plusSlashAsPF === true && matchesWithPlusSlashAsPF(body, bytes, format.seeds);
}

/** A validator for rules that also match older keys: a value showing one of the signatures must carry its checksum. */
export function checksumHoldsWhenSigned(formats: readonly IdentifiableKeyFormat[]): (key: string) => boolean {
  return (key) => formats.every((format) => signedBody(key, format) === undefined || hasValidIdentifiableChecksum(key, format));
}

/** The alphabet of Entra ID client secrets, in the order their checksum encoding uses. */
const AAD_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~";
const AAD_SECRET = /^[A-Za-z0-9._~-]{3}[0-9]Q~[A-Za-z0-9._~-]{31,34}$/;

/** The checksum as Microsoft writes it: most significant digit first, at least 6 digits. */
function encodeAad(value: number): string {
  let out = "";
  for (let rest = value; rest > 0; rest = Math.floor(rest / AAD_ALPHABET.length)) out = AAD_ALPHABET[rest % AAD_ALPHABET.length]! + out;
  return out.padStart(6, AAD_ALPHABET[0]);
}

/** Entra ID client secrets: `8Q~` secrets must end in their checksum; other versions carry none. */
export function hasValidAadClientSecretChecksum(secret: string): boolean {
  if (!AAD_SECRET.test(secret)) return false;
  if (secret[3] !== "8") return true;
  const checksum = marvin32(Buffer.from(secret.slice(0, -3), "latin1"), seed("AadPwd00"));
  return encodeAad(checksum).slice(0, 3) === secret.slice(-3);
}

/** Signatures, seeds and sizes as Microsoft.Security.Utilities publishes them (`IdentifiableMetadata`). */
const MESSAGING_SEEDS = ["Send0000", "Listen00", "Manage00", "System00", "Unknown0"];
export const AZURE_KEY_FORMATS = {
  storage: { signature: "+ASt", seeds: ["Default0"], bytes: 64 },
  cosmosDb: { signature: "ACDb", seeds: ["MastRW00", "MastRO00", "SystRW00", "SystRO00", "SysAll00", "Resour00", "Encryp00"], bytes: 64 },
  serviceBus: { signature: "+ASb", seeds: MESSAGING_SEEDS, bytes: 32 },
  eventHubs: { signature: "+AEh", seeds: MESSAGING_SEEDS, bytes: 32 },
  relay: { signature: "+ARm", seeds: MESSAGING_SEEDS, bytes: 32 },
  functions: { signature: "AzFu", seeds: ["Functi00", "Master00", "System00"], bytes: 40, urlSafe: true },
  iot: { signature: "AIoT", seeds: ["IoTHub00", "DpsKey00", "Device00"], bytes: 32 },
  search: { signature: "AzSe", seeds: ["Query000", "PAdmin00"], bytes: 39, urlSafe: true },
  containerRegistry: { signature: "+ACR", seeds: ["ACRDflt0"], bytes: 39 },
  apiManagement: { signature: "APIM", seeds: ["Tenant00", "IoTHub00", "Gatewy00", "GitKey00"], bytes: 64 },
  redis: { signature: "AzCa", seeds: ["Access00"], bytes: 32, plusSlashAsPF: true },
  batch: { signature: "+ABa", seeds: ["AbAcct00"], bytes: 64 },
  eventGrid: { signature: "AZEG", seeds: ["SendRecv"], bytes: 32 },
} as const satisfies Record<string, IdentifiableKeyFormat>;
