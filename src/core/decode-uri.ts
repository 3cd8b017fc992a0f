/** `%2F` and friends decoded (`he%2F%2Fo` is `he//o`); text that does not decode is returned as it is. */
export function decodeUriOrKeep(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
