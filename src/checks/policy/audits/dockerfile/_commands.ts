/**
 * What a shell command does, for the Dockerfile audits: the program it really runs once wrappers
 * (`sudo`, `env`, `nice`, `VAR=x`) are set aside, whether that program executes code read from its
 * standard input (`sh`, `bash -s`, `python3 -`, but not `python3 -c '…json…'` or `bash script.sh`),
 * and whether it downloads (`curl`, `wget`, PowerShell's `iwr`).
 */
import type { ShellCommand, ShellWord } from "./_shell.js";

export interface Invocation {
  /** The program's base name (`/usr/bin/env bash` → `bash`), as written otherwise. */
  readonly name: string;
  readonly nameWord: ShellWord;
  readonly args: readonly ShellWord[];
  /** Wrappers set aside, outermost first (`sudo`, `env`). */
  readonly wrappers: readonly string[];
  readonly command: ShellCommand;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;

/** Options of each wrapper that take a value as the next word. */
const WRAPPERS: Record<string, { readonly valued: ReadonlySet<string>; readonly operands?: number }> = {
  sudo: { valued: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T", "-R"]) },
  doas: { valued: new Set(["-u", "-C"]) },
  env: { valued: new Set(["-u", "-C", "-S"]) },
  nice: { valued: new Set(["-n"]) },
  nohup: { valued: new Set() },
  time: { valued: new Set() },
  command: { valued: new Set() },
  exec: { valued: new Set(["-a"]) },
  stdbuf: { valued: new Set(["-i", "-o", "-e"]) },
  timeout: { valued: new Set(["-s", "-k"]), operands: 1 },
  "su-exec": { valued: new Set(), operands: 1 },
  gosu: { valued: new Set(), operands: 1 },
};

export function baseName(value: string): string {
  const slash = value.lastIndexOf("/");
  return slash < 0 ? value : value.slice(slash + 1);
}

const invocations = new WeakMap<ShellCommand, Invocation | null>();

/** Cached: every audit asks about the same commands. */
export function invocation(command: ShellCommand): Invocation | undefined {
  let inv = invocations.get(command);
  if (inv === undefined) {
    inv = readInvocation(command) ?? null;
    invocations.set(command, inv);
  }
  return inv ?? undefined;
}

function readInvocation(command: ShellCommand): Invocation | undefined {
  const words = command.words;
  const wrappers: string[] = [];
  let i = 0;
  while (i < words.length && ASSIGNMENT.test(words[i]!.value)) i++;
  while (i < words.length) {
    const name = baseName(words[i]!.value);
    const wrapper = WRAPPERS[name];
    if (!wrapper) break;
    // `command -v x` and `time` alone ask questions; they run nothing.
    if (name === "command" && /^-[vV]/.test(words[i + 1]?.value ?? "")) return undefined;
    wrappers.push(name);
    i++;
    while (i < words.length) {
      const v = words[i]!.value;
      if (v === "--") {
        i++;
        break;
      }
      if (v.startsWith("-") && v.length > 1) {
        i += wrapper.valued.has(v) ? 2 : 1;
        continue;
      }
      if (name === "env" && ASSIGNMENT.test(v)) {
        i++;
        continue;
      }
      break;
    }
    i += wrapper.operands ?? 0;
    while (i < words.length && ASSIGNMENT.test(words[i]!.value)) i++;
  }
  const nameWord = words[i];
  if (!nameWord) return undefined;
  let name = baseName(nameWord.value);
  let args = words.slice(i + 1);
  if (name === "busybox" && args.length > 0) {
    name = baseName(args[0]!.value);
    args = args.slice(1);
  }
  return { name, nameWord, args, wrappers, command };
}

const SHELLS = new Set(["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash"]);
const PYTHON = /^(python|pypy)(\d+(\.\d+)*)?$/;

export function isShell(name: string): boolean {
  return SHELLS.has(name);
}

interface CodeOptions {
  /** The letters of the option whose value is code (`-c`, `-e`). */
  readonly code: string;
  /** Options that take a value (skipped with it). */
  readonly valued: ReadonlySet<string>;
}

const SHELL_OPTIONS: CodeOptions = { code: "c", valued: new Set(["-o", "+o", "-O", "+O", "--rcfile", "--init-file"]) };
const PYTHON_OPTIONS: CodeOptions = { code: "cm", valued: new Set(["-W", "-X", "--check-hash-based-pycs"]) };
const NODE_OPTIONS: CodeOptions = { code: "ep", valued: new Set(["-r", "--require", "--import", "--input-type"]) };
const POWERSHELL_OPTIONS: CodeOptions = { code: "cC", valued: new Set(["-ExecutionPolicy", "-ep", "-File", "-f", "-ConfigurationName"]) };
const OTHER_INTERPRETERS: ReadonlyMap<string, CodeOptions> = new Map([
  ["perl", { code: "eEM", valued: new Set(["-I", "-x"]) }],
  ["ruby", { code: "e", valued: new Set(["-I", "-r", "-C", "-E"]) }],
  ["node", NODE_OPTIONS],
  ["nodejs", NODE_OPTIONS],
  ["php", { code: "rBRFE", valued: new Set(["-d", "-c", "-z"]) }],
  ["pwsh", POWERSHELL_OPTIONS],
  ["powershell", POWERSHELL_OPTIONS],
]);

/** The code option of each interpreter (`-c` for shells and Python, `-e` for Perl…); undefined for a program that is no interpreter. */
function codeOptions(name: string): CodeOptions | undefined {
  if (SHELLS.has(name)) return SHELL_OPTIONS;
  if (PYTHON.test(name)) return PYTHON_OPTIONS;
  return OTHER_INTERPRETERS.get(name);
}

export interface InterpreterUse {
  /** Runs what arrives on standard input (`curl … | sh`). */
  readonly stdin: boolean;
  /** The code string of `-c`/`-e` (a word whose value is code). */
  readonly code?: ShellWord;
  /** The script file it runs (`bash install.sh`). */
  readonly file?: ShellWord;
}

/** How an interpreter invocation gets its code; undefined for other programs. */
export function interpreterUse(inv: Invocation): InterpreterUse | undefined {
  const options = codeOptions(inv.name);
  if (!options) return undefined;
  const { code, valued } = options;
  const powershell = inv.name === "pwsh" || inv.name === "powershell";
  let explicitStdin = false;
  const args = inv.args;
  for (let i = 0; i < args.length; i++) {
    const v = args[i]!.value;
    if (v === "-" || v === "/dev/stdin") return { stdin: true };
    if (v === "--") {
      const after = args[i + 1];
      if (explicitStdin || after === undefined) return { stdin: true };
      return { stdin: after.value === "-" || after.value === "/dev/stdin", file: after };
    }
    if (powershell) {
      if (/^-(c|command|encodedcommand|ec)$/i.test(v)) return { stdin: args[i + 1]?.value === "-", ...(args[i + 1] ? { code: args[i + 1]! } : {}) };
      if (v.startsWith("-")) {
        if (valued.has(v)) i++;
        continue;
      }
      return { stdin: false, file: args[i]! };
    }
    if (v.startsWith("--")) {
      if (valued.has(v)) i++;
      if (v === "--eval" || v === "--print" || v === "--command") return { stdin: false, ...(args[i + 1] ? { code: args[i + 1]! } : {}) };
      continue;
    }
    if ((v.startsWith("-") || v.startsWith("+")) && v.length > 1) {
      if (valued.has(v)) {
        i++;
        continue;
      }
      const letters = v.slice(1);
      const codeLetter = [...letters].findIndex((l) => code.includes(l));
      if (codeLetter >= 0) {
        // `-c 'code'`, or `-ccode` glued for Python/Perl.
        const glued = letters.slice(codeLetter + 1);
        if (glued !== "" && !SHELLS.has(inv.name)) return { stdin: false };
        return { stdin: false, ...(args[i + 1] ? { code: args[i + 1]! } : {}) };
      }
      if (SHELLS.has(inv.name) && letters.includes("s")) explicitStdin = true;
      if (SHELLS.has(inv.name) && letters.endsWith("o")) i++;
      continue;
    }
    if (explicitStdin) return { stdin: true };
    return { stdin: false, file: args[i]! };
  }
  return { stdin: true };
}

const DOWNLOADERS = new Set(["curl", "wget", "fetch", "aria2c", "iwr", "invoke-webrequest", "irm", "invoke-restmethod"]);

export function isDownloader(name: string): boolean {
  return DOWNLOADERS.has(name.toLowerCase());
}

/** Commands that check a download before it is used: checksums and signatures. */
export function isVerification(inv: Invocation): boolean {
  const n = inv.name;
  if (/^(sha(1|224|256|384|512)sum|shasum|sha256|sha512|b2sum|md5sum|gpgv2?|minisign|signify|cosign|rekor-cli|slsa-verifier|sigstore)$/.test(n)) return true;
  if (n === "gpg" || n === "gpg2") return inv.args.some((a) => a.value === "--verify" || a.value === "--verify-files");
  if (n === "openssl") return inv.args.some((a) => a.value === "dgst" || a.value === "-verify");
  if (n === "rpm") return inv.args.some((a) => a.value === "--checksig" || a.value === "-K");
  return /^get-filehash$/i.test(n);
}

/** The file a download writes (`-o f`, `-O`, `wget URL`, `> f`); undefined when it goes to stdout. */
export function downloadTarget(inv: Invocation): string | undefined {
  const name = inv.name.toLowerCase();
  const redirect = inv.command.redirects.find((r) => (r.op === ">" || r.op === ">>" || r.op === "1>") && r.target);
  if (redirect?.target) return redirect.target.value;
  const args = inv.args;
  const urls = args.filter((a) => /^[a-z][a-z0-9+.-]*:\/\//i.test(a.value) || /^\$\{?[A-Za-z_]*URL/i.test(a.value));
  const remoteName = () => (urls[0] ? baseName(urls[0].value.replace(/[?#].*$/, "")) : undefined);
  if (name === "curl") {
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!.value;
      if (v === "--output" || v === "-o") return args[i + 1]?.value;
      if (v.startsWith("--output=")) return v.slice("--output=".length);
      if (v === "--remote-name" || v === "--remote-name-all") return remoteName();
      if (/^-[A-Za-z]+$/.test(v) && !v.startsWith("--")) {
        const o = v.indexOf("o", 1);
        if (o > 0) return o === v.length - 1 ? args[i + 1]?.value : v.slice(o + 1);
        if (v.includes("O")) return remoteName();
      }
      if (/^-[A-Za-z]*o.+/.test(v)) return v.slice(v.indexOf("o") + 1);
    }
    return undefined;
  }
  if (name === "wget") {
    for (let i = 0; i < args.length; i++) {
      const v = args[i]!.value;
      if (v.startsWith("--output-document=")) return stdoutOrFile(v.slice("--output-document=".length));
      if (v === "--output-document") return stdoutOrFile(args[i + 1]?.value);
      if (/^-[A-Za-z]*O/.test(v)) {
        const rest = v.slice(v.indexOf("O") + 1);
        return stdoutOrFile(rest !== "" ? rest : args[i + 1]?.value);
      }
    }
    return remoteName();
  }
  if (name === "iwr" || name === "invoke-webrequest") {
    const out = args.findIndex((a) => /^-outfile$/i.test(a.value));
    return out >= 0 ? args[out + 1]?.value : undefined;
  }
  return undefined;
}

function stdoutOrFile(value: string | undefined): string | undefined {
  return value === undefined || value === "-" ? undefined : value;
}
