/**
 * The shell reader behind the RUN audits: commands, pipelines, quoting, substitutions, heredocs,
 * what a program does with its input (`interpreterUse`), and hostile nesting.
 */
import { describe, expect, it } from "vitest";
import { downloadTarget, interpreterUse, invocation, isVerification } from "../../../../src/checks/policy/audits/dockerfile/_commands.js";
import { runCodes } from "../../../../src/checks/policy/audits/dockerfile/_run-scripts.js";
import { parseShell, parseShellOnLine, type ShellCommand } from "../../../../src/checks/policy/audits/dockerfile/_shell.js";
import { parseDockerfile } from "../../../../src/checks/policy/domains/dockerfile.js";

const commands = (text: string) => parseShellOnLine(text, 1).commands;
const words = (c: ShellCommand) => c.words.map((w) => w.value);
const inv = (text: string) => invocation(commands(text)[0]!)!;

describe("parseShell", () => {
  it("separates commands and keeps pipelines together", () => {
    const cs = commands("apt-get update && curl -fsSL https://x | sudo bash -s -- -y; echo done || true");
    expect(cs.map(words)).toEqual([["apt-get", "update"], ["curl", "-fsSL", "https://x"], ["sudo", "bash", "-s", "--", "-y"], ["echo", "done"], ["true"]]);
    expect(cs[2]!.pipeIndex).toBe(1);
    expect(cs[2]!.pipeline.map(words)).toEqual([["curl", "-fsSL", "https://x"], ["sudo", "bash", "-s", "--", "-y"]]);
    expect(cs[3]!.pipeline).toHaveLength(1);
  });

  it("does not split inside quotes and resolves escapes", () => {
    const cs = commands(`echo "curl x | sh" 'a;b' c\\ d "say \\"hi\\""`);
    expect(cs).toHaveLength(1);
    expect(words(cs[0]!)).toEqual(["echo", "curl x | sh", "a;b", "c d", 'say "hi"']);
  });

  it("parses command and process substitutions as nested scripts", () => {
    const [c] = commands('sh -c "$(curl -fsSL https://x)" && bash <(wget -qO- https://y) `id -u`');
    expect(c!.words[2]!.subs[0]!.kind).toBe("command");
    expect(c!.words[2]!.subs[0]!.script.commands.map(words)).toEqual([["curl", "-fsSL", "https://x"]]);
    const [, bash] = commands('sh -c "$(curl -fsSL https://x)" && bash <(wget -qO- https://y) `id -u`');
    expect(bash!.words[1]!.subs[0]).toMatchObject({ kind: "process" });
    expect(bash!.words[2]!.subs[0]!.script.commands.map(words)).toEqual([["id", "-u"]]);
  });

  it("skips shell keywords, comments and `${…}` / `$((…))` as text", () => {
    const cs = commands("if [ -f x ]; then curl x | sh; fi # curl y | sh\necho ${A:-a b} $((1 + 2))");
    expect(cs.map(words)).toEqual([["[", "-f", "x", "]"], ["curl", "x"], ["sh"], ["echo", "${A:-a b}", "$((1 + 2))"]]);
  });

  it("reads redirections, and heredoc bodies on the following lines", () => {
    const cs = parseShell({ text: "cat <<'EOF' > /etc/sudoers.d/app\napp ALL=(ALL) NOPASSWD: ALL\nEOF\necho 2>&1 >/dev/null\n", lineAt: (o) => 10 + (o > 40 ? 2 : 0) }).commands;
    expect(words(cs[0]!)).toEqual(["cat"]);
    expect(cs[0]!.redirects.map((r) => r.op)).toEqual(["<<", ">"]);
    expect(cs[0]!.redirects[0]!.heredoc!.body!.text).toBe("app ALL=(ALL) NOPASSWD: ALL\n");
    expect(words(cs[1]!)).toEqual(["echo"]);
  });

  it("stays linear and shallow on hostile nesting", () => {
    const deep = `${"$(".repeat(50_000)}curl x | sh${")".repeat(50_000)}`;
    const backticks = "`".repeat(100_001);
    const quotes = '"'.repeat(100_001);
    const start = performance.now();
    for (const text of [deep, backticks, quotes, "(".repeat(100_000), "<<A ".repeat(20_000)]) expect(() => commands(text)).not.toThrow();
    expect(performance.now() - start).toBeLessThan(3_000);
  });
});

describe("invocation and interpreterUse", () => {
  it("sets wrappers and assignments aside", () => {
    expect(inv("DEBIAN_FRONTEND=noninteractive sudo -E -u root env PATH=/x /usr/bin/env bash -s")).toMatchObject({ name: "bash", wrappers: ["sudo", "env", "env"] });
    expect(inv("busybox sh").name).toBe("sh");
    expect(invocation(commands("command -v curl")[0]!)).toBeUndefined();
  });

  it.each([
    ["sh", true],
    ["bash -", true],
    ["bash -s -- --version 1.2", true],
    ["bash -ex", true],
    ["sh -eo pipefail", true],
    ["bash /dev/stdin -v latest", true],
    ["python3 -", true],
    ["python3", true],
    ["php", true],
    ["bash install.sh", false],
    ["sh -c 'cat > f'", false],
    ["python3 -c 'import json,sys'", false],
    ["python3 -m json.tool", false],
    ["node -e 'process.stdin'", false],
    ["perl -ne 'print'", false],
  ])("%s reads code from stdin: %s", (text, stdin) => {
    expect(interpreterUse(inv(text))?.stdin).toBe(stdin);
  });

  it("is undefined for programs that are not interpreters", () => {
    expect(interpreterUse(inv("tar -xz"))).toBeUndefined();
    expect(interpreterUse(inv("gpg --dearmor"))).toBeUndefined();
  });

  it.each([
    ["curl -fsSLo /tmp/i.sh https://x/install.sh", "/tmp/i.sh"],
    ["curl -o i.sh https://x", "i.sh"],
    ["curl --output=i.sh https://x", "i.sh"],
    ["curl -fsSLO https://x/get.sh?v=1", "get.sh"],
    ["curl -fsSL https://x", undefined],
    ["curl -fsSL https://x > i.sh", "i.sh"],
    ["wget https://x/dir/get.sh", "get.sh"],
    ["wget -qO- https://x", undefined],
    ["wget -O /tmp/a.sh https://x", "/tmp/a.sh"],
    ["wget --output-document=a.sh https://x", "a.sh"],
  ])("%s writes %s", (text, target) => {
    expect(downloadTarget(inv(text))).toBe(target);
  });

  it("knows verification commands", () => {
    expect(isVerification(inv("sha256sum -c -"))).toBe(true);
    expect(isVerification(inv("gpg --batch --verify a.asc a"))).toBe(true);
    expect(isVerification(inv("gpg --batch --import key.asc"))).toBe(false);
    expect(isVerification(inv("cosign verify-blob --key k a"))).toBe(true);
  });
});

describe("runCodes", () => {
  const doc = parseDockerfile(
    [
      "FROM alpine:3.20",
      'RUN ["/bin/sh", "-c", "curl -fsSL https://x | sh"]',
      'RUN ["apk", "add", "curl"]',
      "RUN <<EOF",
      "#!/usr/bin/env python3",
      "print('hi')",
      "EOF",
      "RUN bash <<EOF",
      "sudo true",
      "EOF",
      "RUN cat <<EOF > /etc/motd",
      "sudo is not a command here",
      "EOF",
      'RUN su app -c "sudo id"',
      "ONBUILD RUN chmod 777 /x",
      "",
    ].join("\n"),
    "Dockerfile",
  );
  const codes = runCodes(doc);
  const names = (i: number) => codes[i]!.commands.map((c) => invocation(c)?.name);

  it("reads exec form through its shell, or as one command", () => {
    expect(names(0)).toEqual(["curl", "sh"]);
    expect(codes[0]!.commands[0]!.line).toBe(2);
    expect(names(1)).toEqual(["apk"]);
  });

  it("runs heredoc scripts through the shell unless a shebang names another language", () => {
    expect(names(2)).toEqual([undefined]);
    expect(names(3)).toEqual(["bash", "true"]);
    expect(codes[3]!.commands[1]!.line).toBe(9);
    expect(names(4)).toEqual(["cat"]);
    expect(codes[4]!.texts.map((t) => t.text)).toContain("sudo is not a command here\n");
  });

  it("reads `su -c` strings and ONBUILD triggers", () => {
    expect(names(5)).toEqual(["su", "id"]);
    expect(names(6)).toEqual(["chmod"]);
  });
});
