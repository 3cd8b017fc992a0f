/**
 * Git's C-style path quoting. Git wraps a path in double quotes and escapes it when it holds a
 * double quote, a backslash, a control character or (unless `core.quotePath=false`) a byte above
 * 0x7f, which it writes as octal escapes of the UTF-8 bytes (`"\303\274.txt"` is `ü.txt`).
 */

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  a: 0x07,
  b: 0x08,
  t: 0x09,
  n: 0x0a,
  v: 0x0b,
  f: 0x0c,
  r: 0x0d,
  '"': 0x22,
  "\\": 0x5c,
};

export interface QuotedToken {
  readonly value: string;
  /** Index just past the closing quote. */
  readonly end: number;
}

/**
 * Reads a quoted path starting at `text[start] === '"'`. Returns `undefined` when the quote is not
 * closed on the same line (the caller then treats the text as unquoted).
 */
export function readQuotedPath(text: string, start: number, lineEnd: number): QuotedToken | undefined {
  const bytes: number[] = [];
  let i = start + 1;
  while (i < lineEnd) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      return { value: Buffer.from(bytes).toString("utf8"), end: i + 1 };
    }
    if (code !== 0x5c) {
      pushUtf8(bytes, text, i);
      i += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined || i + 1 >= lineEnd) return undefined;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      bytes.push(simple);
      i += 2;
    } else if (isOctalDigit(next) && isOctalDigit(text[i + 2]) && isOctalDigit(text[i + 3])) {
      bytes.push(parseInt(text.slice(i + 1, i + 4), 8) & 0xff);
      i += 4;
    } else {
      // Unknown escape: keep it literally rather than guess.
      bytes.push(0x5c);
      i += 1;
    }
  }
  return undefined;
}

function isOctalDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "7";
}

function pushUtf8(bytes: number[], text: string, index: number): void {
  const code = text.codePointAt(index)!;
  if (code < 0x80) {
    bytes.push(code);
    return;
  }
  for (const b of Buffer.from(String.fromCodePoint(code), "utf8")) bytes.push(b);
}
