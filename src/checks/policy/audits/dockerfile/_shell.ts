/**
 * Enough of the POSIX shell grammar to tell commands apart in a RUN line: what is a command word
 * and what is an argument, which commands form a pipeline, what `$(…)`, backticks and `<(…)` run,
 * and what a heredoc feeds. Audits then ask "is `curl` piped into `sh`?" of commands, not of text,
 * so `echo "curl x | sh"` and `apt-get install sudo` are not mistaken for the real thing.
 *
 * Known limits (chosen, not missed): no alias or function expansion, no variable values, `case`
 * patterns and arithmetic are read as plain words, and a subshell's commands are listed but do not
 * join the pipeline around them. Hostile input: one pass over the text, nesting beyond MAX_DEPTH is
 * skipped as opaque text, so time is linear and the stack stays small.
 */
import type { SourceText } from "../../domains/dockerfile.js";

export const MAX_DEPTH = 12;

export interface ShellSubstitution {
  /** `command` for `$(…)` and backticks, `process` for `<(…)` and `>(…)`. */
  readonly kind: "command" | "process";
  readonly script: ShellScript;
}

export interface ShellWord {
  /** As written. */
  readonly raw: string;
  /** Quotes removed and escapes applied; substitutions stay as written (`$(curl …)`). */
  readonly value: string;
  readonly quoted: boolean;
  readonly offset: number;
  readonly line: number;
  readonly subs: readonly ShellSubstitution[];
}

export interface ShellHeredoc {
  readonly delimiter: string;
  /** The body when it is in the same text; a RUN line's heredocs are Dockerfile heredocs instead. */
  body?: SourceText;
}

export interface ShellRedirect {
  /** `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `2>`, `&>` … */
  readonly op: string;
  readonly target?: ShellWord;
  readonly heredoc?: ShellHeredoc;
}

export interface ShellCommand {
  readonly words: readonly ShellWord[];
  readonly redirects: readonly ShellRedirect[];
  readonly line: number;
  /** The command's text as written, for messages and keys. */
  readonly text: string;
  /** The commands joined by `|` with this one, in order (itself included). */
  readonly pipeline: readonly ShellCommand[];
  readonly pipeIndex: number;
}

export interface ShellScript {
  /** Every command in order of appearance, subshell and brace-group members included. */
  readonly commands: readonly ShellCommand[];
}

/** Characters with no special meaning inside a word. */
const PLAIN = /[^\s;&|()<>`'"\\$]+/y;
const KEYWORDS = new Set(["if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac"]);
const REDIRECT_OPS = ["<<<", "<<-", "&>>", "<<", ">>", "<&", ">&", "<>", ">|", "&>", "<", ">"];

export function parseShell(source: SourceText): ShellScript {
  return new ShellLexer(source).script();
}

/** A script of one line (a `-c` string, an exec-form word) at a known file line. */
export function parseShellOnLine(text: string, line: number): ShellScript {
  return parseShell({ text, lineAt: () => line });
}

interface CommandBuilder {
  words: ShellWord[];
  redirects: ShellRedirect[];
  start: number;
}

class ShellLexer {
  private i = 0;
  private depth = 0;
  private readonly s: string;
  private readonly pendingHeredocs: { heredoc: ShellHeredoc; stripTabs: boolean }[] = [];

  constructor(private readonly source: SourceText) {
    this.s = source.text;
  }

  script(): ShellScript {
    const commands: ShellCommand[] = [];
    this.list(commands, null);
    return { commands };
  }

  /** Reads commands into `out` until the end or `stop` (consumed). */
  private list(out: ShellCommand[], stop: ")" | "`" | null): void {
    const s = this.s;
    let pipeline: ShellCommand[] = [];
    let cmd: CommandBuilder = { words: [], redirects: [], start: this.i };
    const finish = (pipeContinues: boolean) => {
      if (cmd.words.length > 0 || cmd.redirects.length > 0) {
        const command: ShellCommand = {
          words: cmd.words,
          redirects: cmd.redirects,
          line: this.source.lineAt(cmd.words[0]?.offset ?? cmd.start),
          text: s.slice(cmd.start, this.i).trim(),
          pipeline,
          pipeIndex: pipeline.length,
        };
        pipeline.push(command);
        out.push(command);
      }
      if (!pipeContinues) pipeline = [];
      cmd = { words: [], redirects: [], start: this.i };
    };
    while (this.i < s.length) {
      const c = s[this.i]!;
      const next = s[this.i + 1];
      if (c === " " || c === "\t" || c === "\r") {
        this.i++;
        if (cmd.words.length === 0 && cmd.redirects.length === 0) cmd.start = this.i;
      } else if (c === "\\" && next === "\n") {
        this.i += 2;
      } else if (c === "\n") {
        finish(false);
        this.i++;
        this.readHeredocBodies();
        cmd.start = this.i;
      } else if (c === "#") {
        const end = s.indexOf("\n", this.i);
        this.i = end < 0 ? s.length : end;
      } else if (stop !== null && c === stop) {
        finish(false);
        this.i++;
        return;
      } else if (c === ";" || c === ")") {
        // A `)` outside `$(…)` ends a `case` pattern: a separator here.
        finish(false);
        this.i += c === ";" && next === ";" ? 2 : 1;
        cmd.start = this.i;
      } else if (c === "&" && next !== ">") {
        finish(false);
        this.i += next === "&" ? 2 : 1;
        cmd.start = this.i;
      } else if (c === "|") {
        const pipe = next !== "|";
        finish(pipe);
        this.i += next === "|" || next === "&" ? 2 : 1;
        cmd.start = this.i;
      } else if (c === "(" && cmd.words.length === 0 && cmd.redirects.length === 0) {
        this.i++;
        this.nested(out, ")");
        cmd.start = this.i;
      } else {
        const op = this.redirectAt();
        if (op !== undefined) {
          cmd.redirects.push(this.redirect(op));
          continue;
        }
        const word = this.word(stop);
        if (word.raw === "") {
          // Nothing could be read here (a stray quote end or operator): step over it.
          this.i++;
          continue;
        }
        if (cmd.words.length === 0 && !word.quoted && KEYWORDS.has(word.value)) {
          cmd.start = this.i;
          continue;
        }
        cmd.words.push(word);
      }
    }
    finish(false);
  }

  /** Parses a nested list (`$(…)`, `<(…)`, backticks, a subshell) or, past MAX_DEPTH, skips it. */
  private nested(out: ShellCommand[], stop: ")" | "`"): void {
    if (this.depth >= MAX_DEPTH) {
      this.skipBalanced(stop);
      return;
    }
    this.depth++;
    try {
      this.list(out, stop);
    } finally {
      this.depth--;
    }
  }

  private skipBalanced(stop: ")" | "`"): void {
    const s = this.s;
    if (stop === "`") {
      const end = s.indexOf("`", this.i);
      this.i = end < 0 ? s.length : end + 1;
      return;
    }
    let open = 1;
    while (this.i < s.length && open > 0) {
      const c = s[this.i++];
      if (c === "(") open++;
      else if (c === ")") open--;
    }
  }

  private redirectAt(): string | undefined {
    const s = this.s;
    let j = this.i;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    const c = s[j];
    if (c !== "<" && c !== ">" && c !== "&") return undefined;
    if ((c === "<" || c === ">") && s[j + 1] === "(") return undefined; // process substitution
    for (const op of REDIRECT_OPS) {
      if (s.startsWith(op, j)) {
        if (op.startsWith("&") && j !== this.i) return undefined;
        return s.slice(this.i, j + op.length);
      }
    }
    return undefined;
  }

  private redirect(op: string): ShellRedirect {
    this.i += op.length;
    while (this.s[this.i] === " " || this.s[this.i] === "\t") this.i++;
    const bare = op.replace(/^\d+/, "");
    const target = this.word(null);
    if (bare === "<<" || bare === "<<-") {
      const heredoc: ShellHeredoc = { delimiter: target.value };
      this.pendingHeredocs.push({ heredoc, stripTabs: bare === "<<-" });
      return { op, target, heredoc };
    }
    return target.raw === "" ? { op } : { op, target };
  }

  /** After a newline: the bodies of the heredocs opened on the line before, in order. */
  private readHeredocBodies(): void {
    const s = this.s;
    while (this.pendingHeredocs.length > 0) {
      const { heredoc, stripTabs } = this.pendingHeredocs.shift()!;
      const start = this.i;
      let bodyEnd = s.length;
      while (this.i < s.length) {
        const eol = s.indexOf("\n", this.i);
        const end = eol < 0 ? s.length : eol;
        const lineText = s.slice(this.i, end);
        if ((stripTabs ? lineText.replace(/^\t+/, "") : lineText) === heredoc.delimiter) {
          bodyEnd = this.i;
          this.i = eol < 0 ? s.length : eol + 1;
          break;
        }
        this.i = eol < 0 ? s.length : eol + 1;
      }
      const base = this.source;
      heredoc.body = { text: s.slice(start, bodyEnd), lineAt: (offset) => base.lineAt(start + offset) };
    }
  }

  private word(stop: ")" | "`" | null): ShellWord {
    const s = this.s;
    const start = this.i;
    let value = "";
    let quoted = false;
    const subs: ShellSubstitution[] = [];
    const substitution = (kind: ShellSubstitution["kind"], open: number, close: ")" | "`") => {
      const from = this.i;
      this.i += open;
      const commands: ShellCommand[] = [];
      this.nested(commands, close);
      subs.push({ kind, script: { commands } });
      value += s.slice(from, this.i);
    };
    while (this.i < s.length) {
      const c = s[this.i]!;
      const next = s[this.i + 1];
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === ";" || c === "&" || c === "|") break;
      if (c === ")" || (c === "`" && stop === "`")) break;
      if ((c === "<" || c === ">") && next === "(") {
        substitution("process", 2, ")");
      } else if (c === "<" || c === ">") {
        break;
      } else if (c === "(") {
        // `name=(a b)` arrays and `f()` definitions: literal text.
        const from = this.i;
        this.i++;
        this.skipBalanced(")");
        value += s.slice(from, this.i);
      } else if (c === "`") {
        substitution("command", 1, "`");
      } else if (c === "'") {
        const end = s.indexOf("'", this.i + 1);
        const close = end < 0 ? s.length : end;
        value += s.slice(this.i + 1, close);
        this.i = close + 1;
        quoted = true;
      } else if (c === '"') {
        quoted = true;
        this.i++;
        while (this.i < s.length && s[this.i] !== '"') {
          const d = s[this.i]!;
          const e = s[this.i + 1];
          if (d === "\\" && e !== undefined && '$`"\\\n'.includes(e)) {
            if (e !== "\n") value += e;
            this.i += 2;
          } else if (d === "$" && e === "(" && s[this.i + 2] !== "(") {
            substitution("command", 2, ")");
          } else if (d === "`") {
            substitution("command", 1, "`");
          } else {
            value += d;
            this.i++;
          }
        }
        this.i++;
      } else if (c === "\\") {
        if (next !== "\n" && next !== undefined) value += next;
        this.i += 2;
      } else if (c === "$" && next === "(" && s[this.i + 2] !== "(") {
        substitution("command", 2, ")");
      } else if (c === "$" && (next === "(" || next === "{")) {
        // `$((…))` arithmetic and `${…}` parameters: literal text.
        const from = this.i;
        this.i += 2;
        if (next === "(") this.skipBalanced(")");
        else {
          const end = s.indexOf("}", this.i);
          this.i = end < 0 ? s.length : end + 1;
        }
        value += s.slice(from, this.i);
      } else {
        // A run of plain characters at once: most of a RUN line is plain words.
        PLAIN.lastIndex = this.i;
        const run = PLAIN.exec(s);
        const end = run ? this.i + run[0].length : this.i + 1;
        value += s.slice(this.i, end);
        this.i = end;
      }
    }
    if (this.i > s.length) this.i = s.length;
    return { raw: s.slice(start, this.i), value, quoted, offset: start, line: this.source.lineAt(start), subs };
  }
}
