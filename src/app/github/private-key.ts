/**
 * The App's private key from the environment, as Probot reads it (PRIVATE_KEY, PEM or base64, or
 * PRIVATE_KEY_PATH), for processes that build their own Probot (queue workers). Never logged.
 */
import { getPrivateKey } from "@probot/get-private-key";

export function readPrivateKey(env: { readonly PRIVATE_KEY?: string; readonly PRIVATE_KEY_PATH?: string }): string {
  const key = getPrivateKey({ env: { PRIVATE_KEY: env.PRIVATE_KEY, PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH } });
  if (!key) throw new Error("PRIVATE_KEY: no private key found (set PRIVATE_KEY or PRIVATE_KEY_PATH)");
  return key;
}
