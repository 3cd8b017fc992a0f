/**
 * Redaction happens where a secret is found, before it becomes evidence: nothing downstream ever
 * holds the full value. The redacted form keeps a short prefix (which for most tokens is the public
 * type marker, `ghp_`, `AKIA`, `sk_live_`) and the last few characters, which is what GitHub and
 * the providers themselves show, so an owner can tell which credential it is.
 */
export function redactSecret(secret: string, knownPrefix = ""): string {
  const length = secret.length;
  const prefix = knownPrefix && secret.startsWith(knownPrefix) ? knownPrefix : "";
  const rest = length - prefix.length;
  let head: number;
  let tail: number;
  if (rest >= 24) {
    head = 4;
    tail = 4;
  } else if (rest >= 12) {
    head = 2;
    tail = 2;
  } else {
    head = 0;
    tail = 0;
  }
  // Never reveal more than a third of the variable part.
  while (head + tail > 0 && (head + tail) * 3 > rest) {
    if (head > tail) head--;
    else tail--;
  }
  const shown = prefix + secret.slice(prefix.length, prefix.length + head);
  const end = tail > 0 ? secret.slice(length - tail) : "";
  return `${shown}…${end} (${length} chars)`;
}
