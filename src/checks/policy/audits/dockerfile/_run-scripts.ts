/**
 * The shell code of a Dockerfile, as the build runs it: each RUN's command line, the heredocs that
 * are scripts (`RUN <<EOF`, `RUN bash <<EOF`; not `RUN cat <<EOF > /etc/app.conf`, and not a body
 * whose shebang names another language), exec-form `["sh", "-c", "…"]`, the strings given to
 * `sh -c`/`su -c`/`powershell -Command`, and ONBUILD triggers (they run in every image built on this one).
 *
 * Data heredocs are kept as plain texts: a sudoers line written by `cat <<EOF` is still there.
 */
import type { DockerfileDocument, DockerInstruction, RunInstruction, SourceText } from "../../domains/dockerfile.js";
import { interpreterUse, invocation, isShell, type Invocation } from "./_commands.js";
import { MAX_DEPTH, parseShell, parseShellOnLine, type ShellCommand, type ShellHeredoc, type ShellScript, type ShellWord } from "./_shell.js";

/** Enough for any real RUN; a hostile one stops being walked here. */
const MAX_COMMANDS = 20_000;

export interface RunCode {
  readonly run: RunInstruction;
  /** Every command the RUN executes, nested ones included, in order of appearance. */
  readonly commands: readonly ShellCommand[];
  /** Every text of the RUN (command line, all heredoc bodies), for searches that do not parse. */
  readonly texts: readonly SourceText[];
}

const flattened = new WeakMap<DockerfileDocument, readonly { instruction: DockerInstruction; onbuild: boolean }[]>();

/** Every instruction of every stage, ONBUILD triggers included (marked). */
export function allInstructions(doc: DockerfileDocument): readonly { instruction: DockerInstruction; onbuild: boolean }[] {
  let list = flattened.get(doc);
  if (!list) {
    const out: { instruction: DockerInstruction; onbuild: boolean }[] = [];
    for (const stage of doc.stages) {
      for (const instruction of stage.instructions) {
        if (instruction.kind !== "onbuild") out.push({ instruction, onbuild: false });
        else if (instruction.trigger) out.push({ instruction: instruction.trigger, onbuild: true });
      }
    }
    list = out;
    flattened.set(doc, list);
  }
  return list;
}

const cache = new WeakMap<RunInstruction, RunCode>();

export function runCodes(doc: DockerfileDocument): RunCode[] {
  const out: RunCode[] = [];
  for (const { instruction } of allInstructions(doc)) if (instruction.kind === "run") out.push(runCode(instruction));
  return out;
}

export function runCode(run: RunInstruction): RunCode {
  const cached = cache.get(run);
  if (cached) return cached;
  const texts: SourceText[] = [run.args, ...run.heredocs.map((h) => h.body)];
  const scripts = topScripts(run);
  const commands: ShellCommand[] = [];
  for (const script of scripts) collect(script, commands, 0);
  const code = { run, commands, texts };
  cache.set(run, code);
  return code;
}

function topScripts(run: RunInstruction): ShellScript[] {
  if (run.exec) {
    const [program, ...rest] = run.exec;
    if (program === undefined) return [];
    const codeAt = isShell(baseNameOf(program)) ? rest.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w)) : -1;
    if (codeAt >= 0 && rest[codeAt + 1] !== undefined) return [parseShellOnLine(rest[codeAt + 1]!, run.line)];
    // No shell: the words are one command, quoted so that nothing in them is an operator.
    return [parseShellOnLine(run.exec.map(quote).join(" "), run.line)];
  }
  const script = parseShell(run.args);
  const scripts = [script];
  const bodies = [...run.heredocs];
  for (const command of script.commands) {
    for (const redirect of command.redirects) {
      if (!redirect.heredoc || redirect.heredoc.body) continue;
      const index = bodies.findIndex((h) => h.name === redirect.heredoc!.delimiter);
      if (index < 0) continue;
      const heredoc = bodies.splice(index, 1)[0]!;
      (redirect.heredoc as ShellHeredoc).body = heredoc.body;
      // `RUN <<EOF` alone: the body is the script, run by the shell unless a shebang names another.
      if (command.words.length === 0 && shebangAllowsShell(heredoc.body.text)) scripts.push(parseShell(heredoc.body));
    }
  }
  return scripts;
}

function shebangAllowsShell(body: string): boolean {
  const first = body.trimStart().split("\n", 1)[0] ?? "";
  if (!first.startsWith("#!")) return true;
  const words = first.slice(2).trim().split(/\s+/);
  const program = baseNameOf(words[0] ?? "") === "env" ? (words.find((w, i) => i > 0 && !w.startsWith("-")) ?? "") : (words[0] ?? "");
  return isShell(baseNameOf(program));
}

/**
 * Walks a script's commands and what they run: substitutions, heredoc bodies fed to a shell, `sh -c`
 * strings. A code string is parsed once, as code; its substitutions are not walked a second time
 * (so nesting costs linear time, not doubling per level).
 */
function collect(script: ShellScript, out: ShellCommand[], depth: number): void {
  for (const command of script.commands) {
    if (out.length >= MAX_COMMANDS) return;
    out.push(command);
    if (depth >= MAX_DEPTH) continue;
    const inv = invocation(command);
    const run = inv ? codeRunBy(inv) : { scripts: [], codeWords: new Set<ShellWord>() };
    for (const word of command.words) {
      if (run.codeWords.has(word)) continue;
      for (const sub of word.subs) collect(sub.script, out, depth + 1);
    }
    for (const redirect of command.redirects) for (const sub of redirect.target?.subs ?? []) collect(sub.script, out, depth + 1);
    for (const nested of run.scripts) collect(nested, out, depth + 1);
  }
}

/** Shell code that an invocation runs from a string or a heredoc, and the words that hold it. */
function codeRunBy(inv: Invocation): { scripts: ShellScript[]; codeWords: Set<ShellWord> } {
  const scripts: ShellScript[] = [];
  const codeWords = new Set<ShellWord>();
  const fromWord = (word: ShellWord) => {
    codeWords.add(word);
    scripts.push(parseShellOnLine(word.value, word.line));
  };
  if (isShell(inv.name)) {
    const use = interpreterUse(inv);
    if (use?.code) fromWord(use.code);
    if (use?.stdin) {
      for (const r of inv.command.redirects) if (r.heredoc?.body) scripts.push(parseShell(r.heredoc.body));
    }
  } else if (inv.name === "pwsh" || inv.name === "powershell") {
    // `powershell -Command iex (…)`: every word after -Command is the command text.
    const at = inv.args.findIndex((a) => /^-(c|command)$/i.test(a.value));
    const code = at >= 0 ? inv.args.slice(at + 1) : [];
    if (code.length > 0 && code[0]!.value !== "-") {
      for (const w of code) codeWords.add(w);
      scripts.push(parseShellOnLine(code.map((w) => w.value).join(" "), code[0]!.line));
    }
  } else if (inv.name === "su" || inv.name === "runuser") {
    const c = inv.args.findIndex((a) => a.value === "-c" || a.value === "--command");
    const code = c >= 0 ? inv.args[c + 1] : undefined;
    if (code) fromWord(code);
  } else if (inv.name === "eval" && inv.args.length > 0) {
    for (const a of inv.args) codeWords.add(a);
    scripts.push(parseShellOnLine(inv.args.map((a) => a.value).join(" "), inv.nameWord.line));
  }
  return { scripts, codeWords };
}

function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function quote(word: string): string {
  return `'${word.replace(/'/g, "'\\''")}'`;
}

/** Collapsed whitespace: the key of a command, stable when the RUN is re-wrapped. */
export function normalisedText(text: string): string {
  return text.replace(/\\\n/g, " ").replace(/\s+/g, " ").trim().slice(0, 300);
}
