export { crc32 } from "./crc32.js";
export { BASE62_ALPHABET, encodeBase62 } from "./base62.js";
export { base62Crc32Checksum, hasValidBase62Crc32Checksum, hasValidNpmChecksum } from "./github-token.js";
export { grafanaChecksum, hasValidGrafanaChecksum } from "./grafana-token.js";
export { decodeBase64, decodeBase64Json } from "./base64.js";
export { isPypiMacaroon, pypiTokenLocation, PYPI_LOCATIONS } from "./pypi-token.js";
export { isDecodableJwt } from "./jwt.js";
export { isGrafanaCloudToken, isGrafanaLegacyApiKey, isSentryOrgToken } from "./structured-token.js";
export { isDiscordBotToken } from "./discord-token.js";
