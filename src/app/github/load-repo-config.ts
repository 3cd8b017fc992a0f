/**
 * `.github/pr-sentinel.yml` from the repository's default branch, with the organisation's `.github`
 * repository as fallback and `_extends` followed: exactly what Probot's `context.config` does
 * (the same plugin, the same deep merge), but callable from a job runner that has no webhook context.
 */
import merge from "deepmerge";
import type { GitHubClient, RepoRef } from "../../sources/github/octokit.js";

export const CONFIG_FILE_PATH = ".github/pr-sentinel.yml";

export async function loadRepoConfig(octokit: GitHubClient, repo: RepoRef): Promise<unknown> {
  const { config, files } = await octokit.config.get({
    owner: repo.owner,
    repo: repo.repo,
    path: CONFIG_FILE_PATH,
    defaults: (configs: Record<string, unknown>[]) => merge.all<Record<string, unknown>>([{}, ...configs]),
  });
  // No file anywhere: null, as context.config answers, so the built-in defaults apply.
  return files.some((file) => file.config !== null) ? config : null;
}
