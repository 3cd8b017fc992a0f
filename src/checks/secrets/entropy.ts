/** Shannon entropy in bits per character: how unpredictable a value looks, from 0 (one repeated character) up to log2 of its alphabet. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/**
 * Built-in thresholds are set for mixed-case alphanumeric values. A hexadecimal value cannot exceed
 * 4 bits per character and a random one of 32 digits averages about 3.75, so a threshold of 3.5
 * turned away about one random 32-digit key in thirty (measured over generated keys). Long
 * hexadecimal values are held to at most 3.0 instead, which random ones fall below about once in
 * a million, while repeated patterns (`deadbeefdeadbeef…`, `00000000…`) still fail it.
 */
export function hexEntropyThreshold(minEntropy: number): number {
  return Math.min(minEntropy, 3);
}

/** Whether a value is judged by the hexadecimal threshold: 32 or more hex digits and nothing else. */
export function isLongHex(value: string): boolean {
  return value.length >= 32 && HEX.test(value);
}

const HEX = /^[0-9a-fA-F]+$/;
