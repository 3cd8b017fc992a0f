/** Base62 with the alphabet digits, upper case, lower case: the order GitHub and npm tokens use. */
export const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `value` in base62, left-padded with `0` to `width` characters. */
export function encodeBase62(value: number, width: number): string {
  let n = Math.floor(value);
  let out = "";
  while (n > 0) {
    out = BASE62_ALPHABET[n % 62]! + out;
    n = Math.floor(n / 62);
  }
  return out.padStart(width, "0");
}
