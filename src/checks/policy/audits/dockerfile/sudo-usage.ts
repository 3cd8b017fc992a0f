/**
 * `sudo` in a RUN, and sudoers rules with NOPASSWD (hadolint DL3004, checkov CKV2_DOCKER_1). RUN
 * already runs as the stage's USER: sudo there either does nothing (root) or shows that a non-root
 * user was given a way back to root, and a `NOPASSWD` rule hands that way to anyone who gets a shell
 * in the container.
 *
 * `sudo` counts only as a command (`apt-get install sudo` installs it; that alone is not reported),
 * once per RUN, and not when it switches to a named non-root user (`sudo -u node npm ci`, run as
 * root, is a privilege drop like gosu).
 * NOPASSWD counts as a sudoers rule (`NOPASSWD:` with its colon), in the RUN line or in any heredoc
 * (`cat <<EOF > /etc/sudoers.d/dev`, `COPY <<EOF /etc/sudoers.d/dev`), and takes the line over a
 * plain sudo finding there. A sudoers file copied from the context cannot be seen.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { DockerfileDocument, SourceText } from "../../domains/dockerfile.js";
import { invocation } from "./_commands.js";
import { allInstructions, normalisedText, runCode } from "./_run-scripts.js";
import type { ShellCommand } from "./_shell.js";

export default defineAudit<DockerfileDocument>({
  id: "sudo-usage",
  domain: "dockerfile",
  title: "sudo or passwordless sudoers in the image",
  description: "`sudo` in a build, or a `NOPASSWD` sudoers rule, leaves a path from the application's user back to root for anyone who gets a shell in the container.",
  severity: "low",
  confidence: "high",
  remediation: "Run the root-only steps before `USER`, as root, without sudo; drop the sudoers rule and do not install sudo in the final image.",
  link: "https://github.com/hadolint/hadolint/wiki/DL3004",
  samples: {
    valid: [
      { text: "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y --no-install-recommends sudo ca-certificates\nUSER nobody\n", note: "installing the package is not using it" },
      { text: "FROM ubuntu:24.04\nRUN echo 'Defaults secure_path=\"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin\"' > /etc/sudoers.d/path\n" },
      { text: "FROM ubuntu:24.04\nRUN sed -i '/NOPASSWD/d' /etc/sudoers\n", note: "removing NOPASSWD rules" },
      { text: "FROM node:20-bookworm\nRUN apt-get update && apt-get install -y sudo\nRUN sudo -u node npm install --global pnpm@9\n", note: "root dropping to a lesser user" },
    ],
    invalid: [
      { text: "FROM ubuntu:24.04\nRUN useradd -m dev\nUSER dev\nRUN sudo apt-get update\n", lines: [4] },
      {
        text: "FROM mcr.microsoft.com/devcontainers/base:ubuntu\nARG USERNAME=vscode\nRUN apt-get update && apt-get install -y sudo \\\n    && echo \"$USERNAME ALL=(root) NOPASSWD:ALL\" > /etc/sudoers.d/$USERNAME \\\n    && chmod 0440 /etc/sudoers.d/$USERNAME\n",
        lines: [4],
        note: "a passwordless sudoers rule (medium)",
      },
      { text: "FROM fedora:40\nCOPY <<EOF /etc/sudoers.d/wheel\n%wheel ALL=(ALL) NOPASSWD: ALL\nEOF\n", lines: [3] },
    ],
  },
  run(doc) {
    const findings = new Map<number, AuditFinding>();
    const add = (f: AuditFinding, strong: boolean) => {
      if (strong || !findings.has(f.line)) findings.set(f.line, f);
    };
    for (const { instruction } of allInstructions(doc)) {
      if (instruction.kind === "run") {
        const code = runCode(instruction);
        // One finding per RUN, on its first sudo: five `sudo apt-get …` in a row are one problem.
        const first = code.commands.find((c) => invocation(c)?.wrappers.includes("sudo") && !dropsPrivileges(c));
        if (first) {
          add({ line: first.line, message: "`sudo` in a RUN: the build already runs as the stage's USER; sudo here means a non-root user can become root.", key: `sudo ${normalisedText(first.text)}` }, false);
        }
        for (const text of code.texts) for (const f of nopasswd(text)) add(f, true);
      } else if (instruction.kind === "copy" || instruction.kind === "add") {
        for (const h of instruction.heredocs) for (const f of nopasswd(h.body)) add(f, true);
      }
    }
    return [...findings.values()].sort((a, b) => a.line - b.line);
  },
});

const MAX_RULES_PER_TEXT = 100;
const COMMENT = /[ \t]*#/y;

/** `sudo -u node npm install` run as root switches to a lesser user (as gosu does): no way up. */
function dropsPrivileges(command: ShellCommand): boolean {
  const words = command.words.map((w) => w.value);
  const at = words.findIndex((w) => w === "sudo" || w.endsWith("/sudo"));
  for (let i = at + 1; i > 0 && i < words.length; i++) {
    const w = words[i]!;
    let user: string | undefined;
    if (w === "-u" || w === "--user") user = words[i + 1];
    else if (w.startsWith("--user=")) user = w.slice("--user=".length);
    else if (/^-u./.test(w)) user = w.slice(2);
    else if (!w.startsWith("-")) return false;
    if (user !== undefined) return user !== "root" && user !== "#0" && user !== "0";
  }
  return false;
}

function nopasswd(text: SourceText): AuditFinding[] {
  const out: AuditFinding[] = [];
  const pattern = /NOPASSWD\s*:/g;
  // A hostile text of nothing but rules stops here: each match looks back for its line start.
  let seen = 0;
  for (let m = pattern.exec(text.text); m !== null && seen++ < MAX_RULES_PER_TEXT; m = pattern.exec(text.text)) {
    // The rule's own line, cut to a window around the match: a hostile one-line text stays cheap.
    const realStart = text.text.lastIndexOf("\n", m.index) + 1;
    COMMENT.lastIndex = realStart;
    if (COMMENT.test(text.text)) continue;
    const lineEnd = text.text.indexOf("\n", m.index);
    const lineText = text.text.slice(Math.max(realStart, m.index - 200), Math.min(lineEnd < 0 ? text.text.length : lineEnd, m.index + 200));
    out.push({
      line: text.lineAt(m.index),
      message: "A sudoers rule with NOPASSWD: anyone running as that user becomes root without a password.",
      severity: "medium",
      key: `NOPASSWD ${normalisedText(lineText)}`,
    });
  }
  return out;
}
