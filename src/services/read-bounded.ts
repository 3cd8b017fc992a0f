/**
 * Reads an HTTP body stream up to `maxBytes` and cancels it past that: a hostile or broken server
 * (or a 50 MB file) must not be buffered whole before it is refused. `undefined` when too large.
 */
export async function readBounded(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Buffer | undefined> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
