/**
 * A request body read within a byte limit. A declared `Content-Length` over the limit is refused
 * before a byte is read; otherwise bytes are counted as they arrive (chunked bodies declare
 * nothing) and reading stops at the first chunk past the limit, which is dropped: no more than the
 * limit is ever held. A body that trickles in is cut off after `timeoutMs` (a slow client must not
 * hold a queue place forever).
 */
import type { IncomingMessage } from "node:http";

export type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: "too-large" | "timeout" | "aborted"; readonly bytesRead: number };

export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers["content-length"];
  if (header === undefined || !/^[0-9]{1,15}$/.test(header)) return undefined;
  return Number(header);
}

export function readBoundedBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyResult> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > maxBytes) return Promise.resolve({ ok: false, reason: "too-large", bytesRead: 0 });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const finish = (result: BodyResult) => {
      clearTimeout(timer);
      req.off("data", onData).off("end", onEnd).off("error", onAbort).off("close", onAbort);
      // Nothing more is read here; the caller answers with `connection: close`.
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) finish({ ok: false, reason: "too-large", bytesRead: total });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, total) });
    const onAbort = () => finish({ ok: false, reason: "aborted", bytesRead: total });
    const timer = setTimeout(() => finish({ ok: false, reason: "timeout", bytesRead: total }), timeoutMs);
    req.on("data", onData).once("end", onEnd).once("error", onAbort).once("close", onAbort);
  });
}

/** Whether a body is still on its way (so an early answer must close the connection, not drain it). */
export function hasUnreadBody(req: IncomingMessage): boolean {
  if (req.readableEnded || req.complete) return false;
  const length = declaredLength(req);
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length > 0);
}
