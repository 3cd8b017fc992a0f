/**
 * Discord bot tokens are three dot-separated base64 parts; the first is the bot's user id (a
 * numeric snowflake) in base64. https://discord.com/developers/docs/reference#authentication
 */
import { decodeBase64 } from "./base64.js";

export function isDiscordBotToken(token: string): boolean {
  const first = token.split(".")[0] ?? "";
  const bytes = decodeBase64(first);
  if (!bytes) return false;
  return /^\d{17,20}$/.test(bytes.toString("latin1"));
}
