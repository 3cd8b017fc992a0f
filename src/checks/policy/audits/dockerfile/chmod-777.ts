/**
 * World-writable permissions given in the build: `chmod 777`, `chmod -R 0777`, `chmod a+rwx`,
 * `chmod o+w`, `install -m 777`, `mkdir -m 777`, `COPY --chmod=777`. Any process in the container,
 * whatever its user, can then rewrite those files (binaries, configs, the app itself), which turns a
 * foothold as an unprivileged user into control of whatever runs them.
 *
 * A mode counts when it grants write to others (the last octal digit 2, 3, 6 or 7, or a symbolic
 * `o`/`a` clause adding `w`). The sticky bit (`1777`, `a+rwxt`) is the /tmp model, where users cannot
 * remove each other's files; it is not reported, nor is a directory the same RUN deletes again with
 * `rm -r`. Modes from variables are not judged.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { DockerfileDocument } from "../../domains/dockerfile.js";
import { invocation, type Invocation } from "./_commands.js";
import type { ShellCommand } from "./_shell.js";
import { allInstructions, normalisedText, runCode } from "./_run-scripts.js";

export default defineAudit<DockerfileDocument>({
  id: "chmod-777",
  domain: "dockerfile",
  title: "World-writable files",
  description: "`chmod 777` (or any mode that lets others write) lets every process in the container, whatever its user, rewrite those files, so a foothold as an unprivileged user becomes control of whatever runs them.",
  severity: "medium",
  confidence: "high",
  remediation: "Give ownership to the user that needs it (`COPY --chown=app`, `chown app`) and use `755` for directories and `644` for files; use `1777` only for shared scratch directories.",
  link: "https://docs.docker.com/reference/dockerfile/#copy---chown---chmod",
  samples: {
    valid: [
      { text: "FROM node:20-slim\nCOPY --chown=node:node . /app\nRUN chmod 755 /app/bin/start && chmod -R go-w /app\n" },
      { text: "FROM postgres:16\nRUN mkdir -p /var/run/postgresql && chmod 1777 /var/run/postgresql\n", note: "sticky world-writable directory, like /tmp" },
      { text: "FROM alpine:3.20\nRUN echo 'chmod 777 is never needed' > /etc/motd && install -m 0644 app.conf /etc/app.conf\n" },
      { text: "FROM debian:bookworm-slim\nRUN tempDir=\"$(mktemp -d)\" \\\n    && chmod 777 \"$tempDir\" \\\n    && su nobody -s /bin/sh -c \"make -C $tempDir\" \\\n    && rm -rf \"$tempDir\"\n", note: "a scratch directory removed in the same RUN" },
    ],
    invalid: [
      { text: "FROM ubuntu:24.04\nRUN mkdir -p /app/data && chmod -R 777 /app\n", lines: [2] },
      { text: "FROM python:3.12-slim\nRUN chmod a+rwx /usr/local/bin/entrypoint.sh \\\n    && chmod 0777 /var/log/app\n", lines: [2, 3] },
      { text: "FROM nginx:1.27\nCOPY --chmod=777 docker-entrypoint.sh /\nRUN install -d -m 777 /var/cache/nginx/tmp\n", lines: [2, 3] },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    for (const { instruction } of allInstructions(doc)) {
      if (instruction.kind === "copy" || instruction.kind === "add") {
        const chmod = instruction.flags.find((f) => f.name === "chmod");
        if (chmod?.value && worldWritable(chmod.value)) {
          findings.push({ line: chmod.line, message: `\`${instruction.keyword} --chmod=${chmod.value}\` makes the copied files writable by every user in the container.` });
        }
      } else if (instruction.kind === "run") {
        const commands = runCode(instruction).commands;
        const removals = lastRemovals(commands);
        commands.forEach((command, index) => {
          const inv = invocation(command);
          const mode = inv ? modeSet(inv) : undefined;
          if (mode !== undefined && worldWritable(mode) && !removedLater(inv!, mode, index, removals)) {
            findings.push({ line: command.line, message: `\`${inv!.name} ${mode}\` makes files writable by every user in the container.`, key: normalisedText(command.text) });
          }
        });
      }
    }
    return findings;
  },
});

/**
 * A scratch directory opened up for a build step and deleted before the RUN ends (the official
 * nginx image builds packages in `chmod 777 "$tempDir"`, then `rm -rf "$tempDir"`) never reaches
 * the image.
 */
function removedLater(inv: Invocation, mode: string, index: number, removals: ReadonlyMap<string, number>): boolean {
  const values = inv.args.map((a) => a.value);
  const targets = values.slice(values.indexOf(mode) + 1).filter((v) => !v.startsWith("-"));
  return targets.length > 0 && targets.every((t) => (removals.get(t) ?? -1) > index);
}

/** Each path a recursive `rm` deletes, with the index of the last command that does. */
function lastRemovals(commands: readonly ShellCommand[]): Map<string, number> {
  const removals = new Map<string, number>();
  commands.forEach((command, index) => {
    const rm = invocation(command);
    if (rm?.name !== "rm" || !rm.args.some((a) => /^-[a-zA-Z]*[rR]/.test(a.value) || a.value === "--recursive")) return;
    for (const a of rm.args) removals.set(a.value, index);
  });
  return removals;
}

/** The mode a chmod, install or mkdir sets, if any. */
function modeSet(inv: Invocation): string | undefined {
  const args = inv.args.map((a) => a.value);
  if (inv.name === "chmod") {
    for (const a of args) {
      if (a.startsWith("--")) continue;
      if (/^-[RfvcH]+$/.test(a)) continue;
      return a;
    }
    return undefined;
  }
  if (inv.name === "install" || inv.name === "mkdir") {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a.startsWith("--mode=")) return a.slice("--mode=".length);
      if (a === "--mode") return args[i + 1];
      const glued = /^-[A-Za-z]*m(.*)$/.exec(a);
      if (glued && !a.startsWith("--")) return glued[1] !== "" ? glued[1] : args[i + 1];
    }
  }
  return undefined;
}

function worldWritable(mode: string): boolean {
  if (/^[0-7]{1,5}$/.test(mode)) {
    const digits = mode.replace(/^0+(?=[0-7]{4})/, "");
    const others = Number(digits[digits.length - 1]);
    const special = digits.length === 4 ? Number(digits[0]) : 0;
    return (others & 2) !== 0 && (special & 1) === 0;
  }
  let writable = false;
  for (const clause of mode.split(",")) {
    const m = /^([ugoa]*)((?:[-+=][rwxXst]*)+)$/.exec(clause);
    if (!m) return false;
    const who = m[1]!;
    if (!who.includes("o") && !who.includes("a")) continue;
    for (const action of m[2]!.match(/[-+=][rwxXst]*/g) ?? []) {
      if (action[0] !== "-" && action.includes("w") && !action.includes("t")) writable = true;
    }
  }
  return writable;
}
