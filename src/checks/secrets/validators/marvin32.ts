/**
 * Marvin32, the seeded 64-bit hash .NET uses for string hashing, folded to 32 bits the way .NET's
 * `Marvin.ComputeHash32` does (high word XOR low word). Microsoft's "identifiable secrets" (Azure
 * keys with a fixed signature) end in this hash of the rest of the key under a per-service seed,
 * so a scanner can tell a real key from a look-alike offline.
 *
 * The algorithm: the seed's low and high 32 bits start two state words; each little-endian 32-bit
 * word of input is added to the first and mixed by the block function; the 0-3 trailing bytes are
 * padded with 0x80 into a last word, followed by two more rounds.
 */

/** A 64-bit seed as its two 32-bit halves (JavaScript numbers cannot hold 64 bits exactly). */
export interface MarvinSeed {
  readonly high: number;
  readonly low: number;
}

/**
 * Microsoft writes a seed as 8 ASCII characters ("Default0", "Listen00") read as one big-endian
 * 64-bit number (`IdentifiableSecrets.ComputeHisV1ChecksumSeed`): the name is the documentation.
 */
export function seedFromName(name: string): MarvinSeed {
  if (!/^[\x20-\x7e]{8}$/.test(name)) throw new Error(`A Marvin seed name is 8 ASCII characters, got "${name}"`);
  const bytes = Buffer.from(name, "latin1");
  return { high: bytes.readUInt32BE(0), low: bytes.readUInt32BE(4) };
}

function rotl(value: number, bits: number): number {
  return ((value << bits) | (value >>> (32 - bits))) >>> 0;
}

/** The hash as two 32-bit state words, before folding. */
export function marvin64(data: Uint8Array, seed: MarvinSeed): { high: number; low: number } {
  let p0 = seed.low >>> 0;
  let p1 = seed.high >>> 0;
  const block = (): void => {
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 20);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 9);
    p1 = (p1 ^ p0) >>> 0;
    p0 = rotl(p0, 27);
    p0 = (p0 + p1) >>> 0;
    p1 = rotl(p1, 19);
  };
  const whole = data.length - (data.length % 4);
  for (let i = 0; i < whole; i += 4) {
    p0 = (p0 + (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    block();
  }
  let last = 0x80;
  for (let i = data.length - 1; i >= whole; i--) last = ((last << 8) | data[i]!) >>> 0;
  p0 = (p0 + last) >>> 0;
  block();
  block();
  return { high: p1, low: p0 };
}

/** `Marvin.ComputeHash32`: the 64-bit hash folded to an unsigned 32-bit number. */
export function marvin32(data: Uint8Array, seed: MarvinSeed): number {
  const { high, low } = marvin64(data, seed);
  return (high ^ low) >>> 0;
}
