/**
 * Names and places of added files, as the file audits compare them. Names are compared in lower
 * case: Windows and macOS file systems ignore case, so `ID_RSA`, `WinSCP.ini` and `.ENV` are the
 * same files to the tools that read them. Paths from git use `/`; a `\` inside a name (committed from
 * a tool that joined Windows paths by hand) is read as a separator too, so `C:\Users\me\.ssh\id_rsa`
 * is still an `id_rsa` in `.ssh`.
 */
import { createPathMatcher } from "../../../../core/paths.js";
import { DEFAULT_TEST_PATHS } from "../../../secrets/test-paths.js";

export interface FilePath {
  /** The base name as written, for messages and finding keys. */
  readonly baseName: string;
  /** The base name in lower case. */
  readonly name: string;
  /** Lower-case folder names from the root down, without the file name. */
  readonly folders: readonly string[];
  /** Lower-case text after the name's last dot; `""` for `Makefile`, and for `.env` (a dot file with no other dot). */
  readonly extension: string;
}

export function describePath(path: string): FilePath {
  const parts = path.split(/[\\/]/).filter((p) => p !== "" && p !== ".");
  const baseName = parts.pop() ?? path;
  const name = baseName.toLowerCase();
  const dot = name.lastIndexOf(".");
  return { baseName, name, folders: parts.map((p) => p.toLowerCase()), extension: dot > 0 ? name.slice(dot + 1) : "" };
}

/** Whether the file sits directly in a folder of this name (`.aws`, `.docker`). */
export function inFolder(file: FilePath, folder: string): boolean {
  return file.folders.length > 0 && file.folders[file.folders.length - 1] === folder;
}

/** Whether the file sits anywhere below a folder of this name. */
export function belowFolder(file: FilePath, folder: string): boolean {
  return file.folders.includes(folder);
}

/** Whether the path ends with these lower-case segments (`["config", "master.key"]`). */
export function endsWith(file: FilePath, ...segments: readonly string[]): boolean {
  const all = [...file.folders, file.name];
  if (segments.length > all.length) return false;
  return segments.every((s, i) => all[all.length - segments.length + i] === s);
}

let testPathMatcher: ((path: string) => boolean) | undefined;

/** Test folders the default test paths miss (`_testdata`, `test_data`, `test-fixtures`). */
const TEST_FOLDER = /^[_.]?(?:test|tests|testing|testdata|test[_-]data|test[_-]?fixtures?|fixtures?)$/;
/** Words of a file name that mark it as test data (`github_test.pem`, `fake-ecdsa-private.pem`, `dummy.key`). */
const TEST_NAME_WORDS = new Set(["test", "tests", "testing", "fixture", "fixtures", "fake", "dummy", "mock", "mocks", "example", "examples", "sample", "samples"]);

/**
 * Test data: the secrets check's default test paths, a few more test folder spellings, and files
 * whose own name says so. A key there is usually a fixture, but a real one pasted into a fixture
 * is leaked all the same, so findings there are lowered, never dropped.
 */
export function isTestPath(path: string): boolean {
  testPathMatcher ??= createPathMatcher(DEFAULT_TEST_PATHS);
  if (testPathMatcher(path.replace(/\\/g, "/"))) return true;
  const file = describePath(path);
  if (file.folders.some((folder) => TEST_FOLDER.test(folder))) return true;
  return file.name.split(/[._-]/).some((word) => TEST_NAME_WORDS.has(word));
}
