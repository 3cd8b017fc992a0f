/**
 * Grafana service account tokens: `glsa_` + 32 random alphanumerics + `_` + 8 hex digits, the
 * CRC-32 (IEEE) of `glsa_<random>` written as 4 little-endian bytes in hex. This is how Grafana's
 * own token generator (pkg/components/satokengen) builds and checks them.
 */
import { crc32 } from "./crc32.js";

const SHAPE = /^(glsa_[A-Za-z0-9]{32})_([0-9a-f]{8})$/;

export function grafanaChecksum(keyWithoutChecksum: string): string {
  const sum = crc32(keyWithoutChecksum);
  let hex = "";
  for (let i = 0; i < 4; i++) hex += ((sum >>> (8 * i)) & 0xff).toString(16).padStart(2, "0");
  return hex;
}

export function hasValidGrafanaChecksum(token: string): boolean {
  const match = SHAPE.exec(token);
  if (!match) return false;
  return grafanaChecksum(match[1]!) === match[2];
}
