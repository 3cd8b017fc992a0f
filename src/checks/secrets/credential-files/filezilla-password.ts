/**
 * FileZilla writes saved passwords into `sitemanager.xml` and `recentservers.xml` as
 * `<Pass encoding="base64">…</Pass>` (older versions: plain `<Pass>…</Pass>`). Base64 hides
 * nothing, so the value is a stored password; it is decoded only to judge it (empty or a
 * placeholder is not reported), and reported as it stands in the file. FileZilla 3.26+ with a
 * master password writes `encoding="crypt"`, encrypted with a key derived from that password:
 * those values are not matched here (the policy check still reports the file itself).
 */
import { decodeBase64 } from "../validators/base64.js";

/** The UTF-8 text a base64 password decodes to, or `undefined` when it is not base64 of printable text. */
export function decodeFileZillaPassword(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.replace(/=+$/, "").length % 4 === 1) return undefined;
  const text = decodeBase64(value)?.toString("utf8");
  if (text === undefined || text === "" || /[\u0000-\u001f\u007f\ufffd]/.test(text)) return undefined;
  return text;
}
