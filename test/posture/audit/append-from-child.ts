/**
 * A child process of open-store-processes.test.ts: one of several processes sharing one DATA_DIR,
 * as a host's workers and sandboxed processors do. It loads everything first, says `ready`, waits
 * for `go` on stdin (so all of them open the new file at the same moment), opens the trail, appends
 * its records and prints one JSON line with what happened.
 * Arguments: DATA_DIR, this writer's number, how many records.
 */
import { createInterface } from "node:readline";
import { openAuditStore } from "../../../src/posture/audit/open-store.js";
import { record } from "./fixtures.js";

const [dataDir, writer, count] = process.argv.slice(2);
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const lines = createInterface({ input: process.stdin });
process.stdout.write("ready\n");
for await (const line of lines) if (line === "go") break;
lines.close();
try {
  const store = await openAuditStore({ dataDir: dataDir!, logger: silent });
  const statuses: string[] = [];
  for (let i = 0; i < Number(count); i++) {
    const result = await store.append(record({ repo: i % 2 === 0 ? "acme/even" : "acme/odd", checkRunId: Number(writer) * 1_000 + i }));
    statuses.push(result.status);
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ writer: Number(writer), statuses })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ writer: Number(writer), error: (error as Error).message })}\n`);
  process.exitCode = 1;
}
