// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/", "test/fixtures/", "bench/.work/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-control-regex": "off",
    },
  },
  {
    // The design's boundary: checks and the engine never know where a change came from or what the
    // machine is. Files, GitHub and the environment reach them only through the source and `Services`.
    files: ["src/core/**/*.ts", "src/checks/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["fs", "node:fs", "fs/promises", "node:fs/promises", "child_process", "node:child_process", "probot"].map((name) => ({
            name,
            message: "src/core and src/checks read nothing from disk, GitHub or processes: take it from the change or from Services.",
          })),
          patterns: [{ group: ["@octokit/*"], message: "GitHub specifics live in src/app and src/sources/github." }],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Configuration reaches checks through options and Services, never process.env." },
      ],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: globals.node },
  },
);
