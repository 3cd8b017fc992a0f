/**
 * Whether a step runs code that lives in the workspace: a local action (`uses: ./…`), an action
 * that builds or hooks into the checked-out tree, or a script line that installs, builds, tests or
 * executes (`npm ci`, `make`, `./configure`, `pip install .`, `go test`…). Package managers count
 * even without a script argument: installs run lifecycle scripts, and the config they read
 * (`.npmrc`, `setup.py`, `Makefile`) comes from the tree. Plain `echo`, `gh`, `curl` lines do not.
 */
import type { WorkflowStep } from "../domains/workflow.js";
import { actionName, scriptLines } from "./steps.js";

const BUILD_ACTIONS = [
  "docker/build-push-action",
  "docker/bake-action",
  "pre-commit/action",
  "github/codeql-action/autobuild",
  "gradle/gradle-build-action",
  "gradle/actions/setup-gradle",
  "cypress-io/github-action",
  "goreleaser/goreleaser-action",
  "borales/actions-yarn",
];

const TOOLS = [
  "npm", "npx", "yarn", "pnpm", "pnpx", "bun", "bunx", "node", "deno", "tsx", "ts-node",
  "make", "gmake", "cmake", "ninja", "meson", "bazel", "bazelisk", "just", "task",
  "python", "python3", "pip", "pip3", "pipenv", "poetry", "uv", "pdm", "hatch", "tox", "nox", "pytest",
  "go", "cargo", "rustc", "mvn", "gradle", "ant", "sbt", "lein", "mix", "dotnet", "msbuild",
  "bundle", "bundler", "rake", "gem", "ruby", "composer", "php", "perl", "swift", "xcodebuild",
  "docker", "docker-compose", "podman", "pre-commit", "terraform", "helm", "source",
].join("|");

/** A tool at a command position (line start, or after `;`, `&&`, `|`, `(`, `$(`, `sudo`, `env X=y`). */
const TOOL_COMMAND = new RegExp(`(?:^|[;&|(\`]|\\bsudo|\\bexec|\\btime)\\s*(?:(?:[A-Za-z_][A-Za-z0-9_]*=\\S*)\\s+)?(?:${TOOLS})(?=\\s|$|;)`);
/** `./script`, `bash scripts/x.sh`, `sh ./x`, `. ./env.sh`. */
const LOCAL_SCRIPT = /(?:^|[;&|(`\s])(?:\.{1,2}\/[\w.-]|(?:ba|z|k)?sh\s+[\w./-]+\.sh\b|\.\s+[\w./-]+)/;

export function runsWorkspaceCode(step: WorkflowStep): boolean {
  if (step.uses?.startsWith("./")) return true;
  const action = actionName(step.uses);
  if (action && BUILD_ACTIONS.some((name) => action === name || action.startsWith(`${name}/`))) return true;
  if (!step.run) return false;
  return scriptLines(step.run).some(({ text }) => runsCodeLine(text));
}

/** Whether one script line installs, builds or executes something. */
function runsCodeLine(text: string): boolean {
  // Long lines are cut: the idioms sit near the start, and the regexes stay linear in practice.
  const line = text.slice(0, 2000).trim();
  if (line.startsWith("#")) return false;
  return TOOL_COMMAND.test(line) || LOCAL_SCRIPT.test(line);
}

/** Whether a step runs something from directory `dir` of the workspace (`./dir/x.sh`, `node dir/x.js`, `uses: ./dir`, `working-directory: dir`). */
export function runsCodeFrom(step: WorkflowStep, dir: string): boolean {
  const d = dir.replace(/^\.\//, "").replace(/\/+$/, "");
  if (d === "") return runsWorkspaceCode(step);
  if (step.uses?.startsWith("./") && step.uses.slice(2).startsWith(d)) return true;
  if (step.workingDirectory && step.workingDirectory.value.replace(/^\.\//, "").startsWith(d)) return runsWorkspaceCode(step);
  if (!step.run) return false;
  const dirPattern = d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // A file of `dir` run as a program or script, or a build started inside it; `tool dir` alone reads it as data.
  const executes = new RegExp(
    `(?:^|[\\s;&|(])\\.\\/${dirPattern}\\/|(?:^|[\\s"'=(])(?:\\.\\/)?${dirPattern}\\/[^\\s"';|&]*\\.(?:sh|bash|js|mjs|cjs|ts|py|rb|pl|ps1|php|exe|jar)(?![\\w.])|\\bchmod\\s+\\S+\\s+(?:\\.\\/)?${dirPattern}\\b`,
  );
  return scriptLines(step.run).some(({ text }) => {
    const line = text.slice(0, 2000);
    if (!line.includes(d) || line.trimStart().startsWith("#")) return false;
    if (executes.test(line)) return true;
    return new RegExp(`\\bcd\\s+["']?(?:\\.\\/)?${dirPattern}\\b`).test(line) && runsCodeLine(line.replace(/\bcd\s+\S+/, ""));
  });
}
