/**
 * `ADD https://…` with no `--checksum=sha256:…`: the build takes whatever the server returns at
 * that moment into the image, with nothing to notice that it changed (BuildKit verifies `--checksum`
 * since Dockerfile syntax 1.6).
 *
 * Not findings: local sources, git sources (`https://…/repo.git#ref`, `git@…`: pinned by commit,
 * another matter), and sources from variables (`ADD ${URL} /x`), which the build sets.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { DockerfileDocument } from "../../domains/dockerfile.js";
import { allInstructions } from "./_run-scripts.js";

export default defineAudit<DockerfileDocument>({
  id: "add-url-without-checksum",
  domain: "dockerfile",
  title: "ADD from a URL without a checksum",
  description: "`ADD https://…` without `--checksum` puts whatever the server returns at build time into the image, so a changed or hijacked download goes unnoticed.",
  severity: "medium",
  confidence: "high",
  remediation: "Add `--checksum=sha256:<digest of the expected file>` to the ADD (Dockerfile syntax 1.6 or later), or download in a RUN and verify with `sha256sum -c`.",
  link: "https://docs.docker.com/reference/dockerfile/#add---checksum",
  samples: {
    valid: [
      { text: "# syntax=docker/dockerfile:1\nFROM alpine:3.20\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://mirrors.edge.kernel.org/pub/linux/kernel/Historic/linux-0.01.tar.gz /\n" },
      { text: "FROM alpine:3.20\nADD rootfs.tar.gz /\nADD [\"config/app.toml\", \"/etc/app/\"]\n", note: "local sources" },
      { text: "FROM alpine:3.20\nADD https://github.com/moby/buildkit.git#v0.14.1 /src\n", note: "a git source" },
    ],
    invalid: [
      { text: "FROM alpine:3.20\nADD https://github.com/krallin/tini/releases/download/v0.19.0/tini /tini\n", lines: [2] },
      { text: "FROM debian:bookworm-slim\nADD --chown=app:app \\\n    http://downloads.example.com/agent.tar.gz /opt/\nADD [\"https://example.com/config.json\", \"/etc/app/\"]\n", lines: [2, 4] },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const { instruction } of allInstructions(doc)) {
      if (instruction.kind !== "add" || instruction.flags.some((f) => f.name === "checksum" && f.value)) continue;
      const remote = instruction.sources.filter((s) => /^https?:\/\//i.test(s) && !isGitSource(s));
      if (remote.length === 0) continue;
      findings.push({ line: instruction.line, message: `ADD downloads ${remote.map((s) => `\`${s.slice(0, 200)}\``).join(", ")} with no --checksum: a changed download goes into the image unnoticed.`, key: `ADD ${remote.join(" ").slice(0, 300)}` });
    }
    return findings;
  },
});

function isGitSource(source: string): boolean {
  const withoutFragment = source.replace(/#.*$/, "");
  return /\.git$/i.test(withoutFragment) || source.includes(".git#");
}
