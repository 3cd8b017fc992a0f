/**
 * The explicit registry of dependency file formats. Adding a format: its parser module under
 * parsers/, one line here, its row in docs/checks/dependencies.md (generated; a test keeps it current).
 */
import type { DependencyFormat } from "./model.js";
import { cargoLockFormat } from "./parsers/parse-cargo-lock.js";
import { composerLockFormat } from "./parsers/parse-composer-lock.js";
import { gemfileLockFormat } from "./parsers/parse-gemfile-lock.js";
import { goModFormat } from "./parsers/parse-go-mod.js";
import { nugetLockFormat } from "./parsers/parse-nuget-lock.js";
import { packageJsonFormat } from "./parsers/parse-package-json.js";
import { packageLockFormat } from "./parsers/parse-package-lock.js";
import { pipfileLockFormat } from "./parsers/parse-pipfile-lock.js";
import { pnpmLockFormat } from "./parsers/parse-pnpm-lock.js";
import { poetryLockFormat } from "./parsers/parse-poetry-lock.js";
import { pomXmlFormat } from "./parsers/parse-pom-xml.js";
import { pyprojectTomlFormat } from "./parsers/parse-pyproject-toml.js";
import { requirementsTxtFormat } from "./parsers/parse-requirements-txt.js";
import { uvLockFormat } from "./parsers/parse-uv-lock.js";
import { yarnLockFormat } from "./parsers/parse-yarn-lock.js";

export const DEPENDENCY_FORMATS: readonly DependencyFormat[] = [
  packageJsonFormat,
  packageLockFormat,
  yarnLockFormat,
  pnpmLockFormat,
  requirementsTxtFormat,
  pyprojectTomlFormat,
  poetryLockFormat,
  pipfileLockFormat,
  uvLockFormat,
  goModFormat,
  cargoLockFormat,
  gemfileLockFormat,
  composerLockFormat,
  pomXmlFormat,
  nugetLockFormat,
];

/** Vendored copies are other people's manifests: what this repository installs is in its own lockfile. */
const VENDORED = /(^|\/)(node_modules|vendor\/bundle|\.venv|venv|site-packages)\//;

export function formatFor(path: string): DependencyFormat | undefined {
  if (VENDORED.test(path)) return undefined;
  return DEPENDENCY_FORMATS.find((format) => format.matches(path));
}
