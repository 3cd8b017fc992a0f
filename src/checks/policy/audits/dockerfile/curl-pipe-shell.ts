/**
 * Code from the network run without a check: `curl … | sh`, `wget -qO- … | bash`, `curl … | python3 -`,
 * `curl … | sudo bash`, `bash <(curl …)`, `sh -c "$(curl …)"`, `eval "$(curl …)"`, PowerShell's
 * `iwr … | iex`, and a script downloaded to a file and run in the same RUN with no checksum or
 * signature check in between. Whoever controls the URL, its DNS or a proxy on the way decides what
 * runs in the build, and the image ships it.
 *
 * Not findings: a download piped into a program that does not run it (`| tar -xz`, `| gpg
 * --dearmor`, `| python3 -c '…json…'`, `| sh -c 'cat > f'`), text that only mentions it (`echo
 * "curl x | sh"`), and a file verified before it runs (`sha256sum -c`, `gpg --verify`, cosign,
 * minisign) — the official images' pattern. A verification is trusted without matching it to the
 * file: a RUN that checks something between download and run is taken as checked.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { DockerfileDocument } from "../../domains/dockerfile.js";
import { baseName, downloadTarget, interpreterUse, invocation, isDownloader, isVerification, type Invocation } from "./_commands.js";
import { normalisedText, runCodes, type RunCode } from "./_run-scripts.js";
import { MAX_DEPTH, type ShellCommand, type ShellScript, type ShellWord } from "./_shell.js";

export default defineAudit<DockerfileDocument>({
  id: "curl-pipe-shell",
  domain: "dockerfile",
  title: "Downloaded code run without verification",
  description: "A RUN pipes a download into a shell or interpreter (`curl … | sh`), or runs a downloaded script unchecked, so whoever controls the URL, its DNS or a proxy decides what the build executes and the image ships.",
  severity: "high",
  confidence: "high",
  remediation: "Download to a file, verify it against a pinned checksum (`echo \"$SHA256  install.sh\" | sha256sum -c -`) or signature (`gpg --verify`), then run it; better, install a pinned package or copy the tool from a pinned image.",
  link: "https://docs.docker.com/build/building/best-practices/#add-or-copy",
  samples: {
    valid: [
      {
        text: [
          "FROM debian:bookworm-slim",
          "ARG GOSU_VERSION=1.17",
          "RUN set -eux; \\",
          "    curl -fsSLo /usr/local/bin/gosu \"https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-amd64\"; \\",
          "    curl -fsSLo /tmp/gosu.asc \"https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-amd64.asc\"; \\",
          "    gpg --batch --verify /tmp/gosu.asc /usr/local/bin/gosu; \\",
          "    chmod +x /usr/local/bin/gosu",
          "",
        ].join("\n"),
        note: "a download verified with gpg before use",
      },
      {
        text: [
          "FROM python:3.12-slim",
          "RUN curl -fsSL -o get-pip.py https://bootstrap.pypa.io/get-pip.py \\",
          "    && echo \"$GET_PIP_SHA256 *get-pip.py\" | sha256sum -c - \\",
          "    && python get-pip.py",
          "",
        ].join("\n"),
        note: "downloaded to a file, checksum verified, then run",
      },
      { text: "FROM alpine:3.20\nRUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin\n", note: "piped into tar, not a shell" },
      { text: "FROM alpine:3.20\nRUN curl -s https://api.github.com/repos/cli/cli/releases/latest | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"tag_name\"])'\n" },
      { text: "FROM ubuntu:24.04\nRUN echo 'never run curl https://x | sh' > /etc/motd\n", note: "the pipe is inside a string" },
    ],
    invalid: [
      { text: "FROM node:20-bookworm\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -\n", lines: [2] },
      { text: "FROM ubuntu:24.04\nRUN apt-get update \\\n    && wget -qO- https://get.example.com/install.sh \\\n       | sudo sh -s -- --yes\n", lines: [3], note: "reported on the download's line" },
      { text: "FROM python:3.12-slim\nRUN curl -sSL https://install.python-poetry.org | python3 -\nRUN bash <(curl -fsSL https://example.com/setup.sh)\nRUN sh -c \"$(curl -fsSL https://raw.githubusercontent.com/ohmyzsh/ohmyzsh/master/tools/install.sh)\"\n", lines: [2, 3, 4] },
      { text: "FROM ubuntu:24.04\nRUN curl -fsSL https://get.docker.com -o get-docker.sh && sh get-docker.sh\n", lines: [2], note: "saved to a file and run without a check" },
      { text: "FROM alpine:3.20\nRUN <<EOF\nset -e\ncurl -fsSL https://example.com/install.sh | sh\nEOF\n", lines: [4], note: "inside a heredoc script" },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const code of runCodes(doc)) findings.push(...judgeRun(code));
    return findings;
  },
});

function judgeRun(code: RunCode): AuditFinding[] {
  const findings: AuditFinding[] = [];
  const pending = new Map<string, { line: number; verified: boolean }>();
  for (const command of code.commands) {
    const inv = invocation(command);
    if (!inv) continue;
    const direct = runsDownload(inv);
    if (direct) {
      findings.push(direct);
      continue;
    }
    if (isDownloader(inv.name)) {
      const target = downloadTarget(inv);
      if (target !== undefined) pending.set(baseName(target), { line: command.line, verified: false });
    } else if (isVerification(inv)) {
      for (const download of pending.values()) download.verified = true;
    } else {
      const file = executedFile(inv);
      const download = file === undefined ? undefined : pending.get(baseName(file));
      if (download && !download.verified) {
        findings.push({
          line: command.line,
          message: `\`${baseName(file!)}\` is downloaded (line ${download.line}) and run with no checksum or signature check in between.`,
          confidence: "medium",
          key: normalisedText(command.text),
        });
        pending.delete(baseName(file!));
      }
    }
  }
  return findings;
}

/** `… | sh`, `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(curl …)"`, `iex (iwr …)`. */
function runsDownload(inv: Invocation): AuditFinding | undefined {
  const command = inv.command;
  const use = interpreterUse(inv);
  const powershellExec = /^(iex|invoke-expression)$/i.test(inv.name);
  if ((use?.stdin || powershellExec) && command.pipeIndex > 0) {
    let download: ShellCommand | undefined;
    for (let i = 0; i < command.pipeIndex && !download; i++) {
      const earlier = invocation(command.pipeline[i]!);
      if (earlier && isDownloader(earlier.name)) download = command.pipeline[i];
    }
    if (download) {
      return {
        line: download.line,
        message: `A download is piped straight into \`${inv.name}\`: whatever the server sends runs in the build.`,
        key: normalisedText(command.pipeline.map((c) => c.text).join(" | ")),
      };
    }
  }
  const found = (what: string): AuditFinding => ({
    line: command.line,
    message: `\`${inv.name}\` runs the output of a download (${what}): whatever the server sends runs in the build.`,
    key: normalisedText(command.text),
  });
  if (use) {
    if (use.code && hasDownload(use.code, "command")) return found("a command substitution");
    if (inv.args.some((a) => hasDownload(a, "process")) || command.redirects.some((r) => r.op.endsWith("<") && r.target && hasDownload(r.target, "process"))) {
      return found("a process substitution");
    }
  }
  if ((inv.name === "source" || inv.name === ".") && inv.args[0] && hasDownload(inv.args[0], "process")) return found("a process substitution");
  if (inv.name === "eval" && inv.args.some((a) => hasDownload(a, "command"))) return found("a command substitution");
  if (powershellExec && /DownloadString|DownloadFile|\b(iwr|irm|curl|wget|Invoke-WebRequest|Invoke-RestMethod)\b/i.test(command.text)) return found("a web request");
  return undefined;
}

function hasDownload(word: ShellWord, kind: "command" | "process"): boolean {
  return word.subs.some((s) => s.kind === kind && scriptDownloads(s.script, 0));
}

function scriptDownloads(script: ShellScript, depth: number): boolean {
  if (depth > MAX_DEPTH) return false;
  return script.commands.some((c: ShellCommand) => {
    const i = invocation(c);
    if (i && isDownloader(i.name)) return true;
    return c.words.some((w) => w.subs.some((s) => scriptDownloads(s.script, depth + 1)));
  });
}

const SCRIPT_EXTENSION = /\.(sh|bash|zsh|py|pl|rb|ps1|js)$/i;

/** The file a command runs as code: `sh f`, `python3 f`, `. f`, `./f.sh`. */
function executedFile(inv: Invocation): string | undefined {
  const use = interpreterUse(inv);
  if (use?.file) return use.file.value;
  if ((inv.name === "source" || inv.name === ".") && inv.args[0]) return inv.args[0].value;
  const program = inv.nameWord.value;
  if (program.includes("/") && SCRIPT_EXTENSION.test(program)) return program;
  return undefined;
}
