/**
 * A large file stays in the repository's history for good: every clone and CI checkout downloads it
 * after it is deleted, and a big generated or data file can bury a change nobody reads. Reported
 * when an added file is larger than `max_file_bytes` (10 MiB by default), or larger than the check
 * can read at all (the sources' whole-file cap). Git LFS pointers are small text files and are not
 * large. Low severity: often legitimate, but worth a deliberate decision (Git LFS, a release asset).
 *
 * Known limit: binary files arrive without a size, so only readable text and files over the read
 * cap are measured.
 */
import { defineAudit } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { fileFinding } from "./_file-finding.js";
import { describePath } from "./_file-path.js";

const MiB = 1024 * 1024;

function csvRows(count: number): string {
  const rows = ["id,city,country,population"];
  for (let i = 1; i <= count; i++) rows.push(`${i},city-${i},XX,${(i * 7919) % 100000}`);
  return `${rows.join("\n")}\n`;
}

export const largeFile = defineAudit<FileDocument>({
  id: "large-file",
  domain: "file",
  title: "Large file added",
  description: "A file larger than the configured limit stays in history for good, slowing every clone and checkout, and is too big for anyone to review.",
  severity: "low",
  confidence: "high",
  remediation: "Track it with Git LFS, publish it as a release asset or generate it in the build; raise `checks.policy.max_file_bytes` if files of this size are expected.",
  link: "https://docs.github.com/en/repositories/working-with-files/managing-large-files/about-large-files-on-github",
  samples: {
    valid: [
      { path: "data/cities.csv", text: csvRows(20), note: "under the default limit" },
      {
        path: "assets/intro.mp4",
        text: "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 48213557\n",
        options: { max_file_bytes: 1024 },
        note: "a Git LFS pointer is small",
      },
    ],
    invalid: [
      { path: "data/cities.csv", text: csvRows(60), options: { max_file_bytes: 1024 }, lines: [1] },
      { path: "fixtures/dump.sql", text: `-- dump\n${"INSERT INTO events VALUES (1, 'signup', '2024-01-01');\n".repeat(30)}`, options: { max_file_bytes: 1024 }, lines: [1] },
    ],
  },
  run(doc, { options }) {
    const name = `\`${describePath(doc.path).baseName}\``;
    if (doc.tooLarge) {
      return [fileFinding(doc, { message: `${name} is larger than the check can read (its whole-file limit): it stays in history and in every clone for good.`, severity: "low" })];
    }
    const bytes = doc.bytes ?? (doc.text === null ? undefined : Buffer.byteLength(doc.text));
    if (bytes === undefined || bytes <= options.max_file_bytes) return [];
    return [
      fileFinding(doc, {
        message: `${name} adds ${formatSize(bytes)}, over the ${formatSize(options.max_file_bytes)} limit: it stays in history and in every clone for good.`,
        severity: "low",
      }),
    ];
  },
});

function formatSize(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
