/**
 * Whether a value in a credential file's password field is a stored credential. The file's format
 * already says it is one, so strength does not matter (`hunter2` in a `.netrc` is a leaked weak
 * password, worse than a strong one); only what stands where a password goes is dropped: references
 * and templates, withheld or encrypted markers (the policy check's `isLiteralCredential`, which
 * also applies the shared placeholder list), `{name}` and `%(name)s` templates, and fillers made of
 * one repeated character (`x`, `xxx`, `...`).
 */
import { isLiteralCredential } from "../../policy/audits/files/_credential-value.js";

/** `{password}`, `{ db_pass }`: a name in braces, no digits (Jenkins' `{AQAAAB…}` ciphertexts have them and are long). */
const BRACED_NAME = /^\{\s?[A-Za-z_][A-Za-z_ .-]{0,40}\s?\}$/;
/** Python's `%(password)s` interpolation and printf's `%s`. */
const PERCENT_TEMPLATE = /^%(?:\([A-Za-z_][\w.-]{0,64}\))?[sd]$/;

export function isStoredCredential(value: string): boolean {
  const v = value.trim();
  if (v === "" || /^(.)\1*$/.test(v)) return false;
  if (BRACED_NAME.test(v) || PERCENT_TEMPLATE.test(v)) return false;
  return isLiteralCredential(v);
}

/** For values read inside quotes in a format with backslash escapes (JSON, irssi, weechat). */
export function unescapeBackslashes(value: string): string {
  return value.replace(/\\(.)/g, "$1");
}
