/**
 * The prefilter: one pass over each line that finds which rule keywords occur in it, so a rule's
 * regular expression runs only on the few lines where it can match.
 *
 * It is an Aho-Corasick automaton compiled to a dense DFA table over the characters the keywords
 * use (ASCII case folded; every other character is one "other" class). Measured against a single
 * case-insensitive RegExp alternation of the same ~300 keywords on TypeScript's own lib (see
 * scripts/bench/prefilter.mjs): the table walk is several times faster and, unlike the alternation,
 * its cost does not grow with the number of keywords.
 */

export interface KeywordHit {
  /** Index into the keyword list given to the constructor. */
  readonly keyword: number;
  /** Offset just past the keyword's last character in the scanned text. */
  readonly end: number;
}

const OTHER_CLASS = 0;

export class KeywordIndex {
  readonly keywords: readonly string[];
  private readonly classOf = new Uint8Array(128);
  private readonly table: Int32Array;
  /** Per state (indexed by row offset): the keywords that end there, own and via suffix links. */
  private readonly outputs: (readonly number[] | undefined)[];
  /** Quick test per state, so the hot loop does one typed-array read. */
  private readonly hasOutput: Uint8Array;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    let classes = 1;
    for (const keyword of this.keywords) {
      for (let i = 0; i < keyword.length; i++) {
        const code = keyword.charCodeAt(i);
        if (code >= 128) throw new Error(`keyword ${JSON.stringify(keyword)} must be ASCII`);
        if (this.classOf[code] === 0) this.classOf[code] = classes++;
      }
    }
    // Upper-case letters share their lower-case class: matching is case-insensitive.
    for (let c = 65; c <= 90; c++) this.classOf[c] = this.classOf[c + 32]!;

    // Build the trie.
    const goto: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    this.keywords.forEach((keyword, index) => {
      if (keyword.length === 0) throw new Error("empty keyword");
      let state = 0;
      for (let i = 0; i < keyword.length; i++) {
        const cls = this.classOf[keyword.charCodeAt(i)]!;
        let next = goto[state]!.get(cls);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          own.push([]);
          goto[state]!.set(cls, next);
        }
        state = next;
      }
      own[state]!.push(index);
    });

    // Breadth-first: failure links, then the dense table with failures resolved.
    const states = goto.length;
    const table = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const outputs: (number[] | undefined)[] = own.map((o) => (o.length > 0 ? [...o] : undefined));
    const queue: number[] = [];
    for (let cls = 0; cls < classes; cls++) {
      const next = goto[0]!.get(cls);
      table[cls] = next ?? 0;
      if (next !== undefined) queue.push(next);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      const failOutputs = outputs[fail[state]!];
      if (failOutputs) outputs[state] = [...(outputs[state] ?? []), ...failOutputs];
      for (let cls = 0; cls < classes; cls++) {
        const next = goto[state]!.get(cls);
        if (next !== undefined) {
          fail[next] = table[fail[state]! * classes + cls]!;
          table[state * classes + cls] = next;
          queue.push(next);
        } else {
          table[state * classes + cls] = table[fail[state]! * classes + cls]!;
        }
      }
    }
    // Premultiply targets by the row width so the hot loop does one add per character.
    for (let i = 0; i < table.length; i++) table[i] = table[i]! * classes;
    this.table = table;
    this.outputs = [];
    this.hasOutput = new Uint8Array(states * classes);
    outputs.forEach((o, s) => {
      if (o) {
        this.hasOutput[s * classes] = 1;
        this.outputs[s * classes] = o;
      }
    });
  }

  /**
   * Calls `onHit(keywordIndex, end)` for every keyword occurrence in `text[from, to)`.
   * Returns nothing so the hot path allocates nothing when there is no hit.
   */
  scan(text: string, onHit: (keyword: number, end: number) => void, from = 0, to = text.length): void {
    const { table, classOf, hasOutput } = this;
    let state = 0;
    for (let i = from; i < to; i++) {
      const code = text.charCodeAt(i);
      state = table[state + (code < 128 ? classOf[code]! : OTHER_CLASS)]!;
      if (hasOutput[state] === 1) {
        for (const keyword of this.outputs[state]!) onHit(keyword, i + 1);
      }
    }
  }

  /** Every hit in `text`, for tests and tools. */
  hits(text: string): KeywordHit[] {
    const found: KeywordHit[] = [];
    this.scan(text, (keyword, end) => found.push({ keyword, end }));
    return found;
  }
}

/** The alternative the index was measured against: one case-insensitive alternation. */
export function keywordAlternation(keywords: readonly string[]): RegExp {
  const escaped = [...new Set(keywords.map((k) => k.toLowerCase()))]
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&"));
  return new RegExp(escaped.join("|"), "gi");
}
