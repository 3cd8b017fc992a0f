/**
 * The slice of Octokit the GitHub source and the app use. Typed loosely on purpose: the app passes
 * Probot's installation client, tests can pass anything with the same `request`.
 */
import type { ProbotOctokit } from "probot";

export type GitHubClient = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}
