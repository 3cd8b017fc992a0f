/**
 * CSV for spreadsheets: RFC 4180 (fields quoted when they hold a comma, quote, CR or LF; quotes
 * doubled; CRLF between rows) and CSV-injection safe: a cell that a spreadsheet would run as a
 * formula (starting with `=`, `+`, `-`, `@`, or a tab or CR that some strip first) gets a leading
 * `'`, as OWASP advises. Repository paths and titles come from pull requests, so they are hostile.
 */
const NEEDS_QUOTES = /[",\r\n]/;
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly (string | number | boolean | null)[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
