/**
 * URLs from manifests and lockfiles can carry credentials (`https://user:token@host/…`,
 * `?token=…`): shown only without them, and cut to a readable length.
 */
const MAX_SHOWN = 120;

export function redactUrl(spec: string): string {
  let shown = spec.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, "$1***@").replace(/([?#&](?:[^=&#]*(?:token|key|secret|password|auth|sig)[^=&#]*)=)[^&#]*/gi, "$1***");
  // scp-like git specs: git@github.com:org/repo is a user name, not a secret, and stays.
  if (shown.length > MAX_SHOWN) shown = `${shown.slice(0, MAX_SHOWN - 1)}…`;
  return shown;
}
