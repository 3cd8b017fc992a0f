/**
 * A value whose only claim to be a credential is its key name is no credential when that "name"
 * is a file name: build caches and lockfile-like manifests map paths to content hashes
 * (`"src/validators/github-token.ts": "<40 hex>"`), and the path's words say nothing about the hash.
 * Checked on the few characters before the value, so it costs nothing on lines without a match.
 */
const FILE_NAME_KEY = /\.(?:[cm]?[jt]sx?|json|ya?ml|py|go|rb|java|kt|cs|php|md|txt|lock|toml|xml|html?|css|sh|rs|swift)["'`]\s{0,4}[:=,]\s{0,4}["'`]?$/;

/** True when the text just before `index` (the value's offset in `line`) ends in `<file name>": "`. */
export function keyIsFileName(line: string, index: number): boolean {
  return FILE_NAME_KEY.test(line.slice(Math.max(0, index - 40), index));
}
