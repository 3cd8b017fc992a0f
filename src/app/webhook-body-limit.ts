/**
 * Webhook bodies are bounded before anything reads them: GitHub caps payloads at 25 MB and always
 * sends `Content-Length`, so a request with a body and without that header, or with more, is
 * refused (411/413) before the body is buffered, parsed or its signature computed. Node's HTTP
 * parser reads no more than the declared length, so the header cannot lie its way past the limit.
 * Every method but GET and HEAD is bounded, whatever the path: the webhook middleware normalises
 * paths (`/api/github/webhooks/`, `./`, `%2e`). The scanning API (`POST /api/v1/scan`) is
 * handled before this and bounds its own bodies; the dashboard's small forms pass through it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

export function webhookBodyLimit(maxBytes = MAX_WEBHOOK_BODY_BYTES) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method === "GET" || req.method === "HEAD") return false;
    const declared = req.headers["content-length"];
    const length = declared === undefined ? Number.NaN : Number(declared);
    if (Number.isInteger(length) && length >= 0 && length <= maxBytes) return false;
    const tooLarge = Number.isInteger(length) && length > maxBytes;
    res.writeHead(tooLarge ? 413 : 411, { "content-type": "application/json", connection: "close" });
    res.end(JSON.stringify({ error: tooLarge ? `webhook body over ${maxBytes} bytes` : "Content-Length required" }));
    // Do not read what was sent: drop the connection once the answer is out.
    req.socket.end();
    return true;
  };
}
