/**
 * What the policy check may ask outside the change, injected by the caller. The app resolves action
 * tags through the GitHub API so that an unpinned `uses:` gets a one-click pin; the CLI has no such
 * client, and then the finding only says to pin (it never guesses a SHA).
 */
export interface ResolvedActionRef {
  /** The full 40-hex commit SHA the ref points at. */
  readonly sha: string;
  /** The most specific version tag on that commit (`v4.2.2` for `v4`), for the `# v4.2.2` comment. */
  readonly version?: string;
}

export interface ActionRefResolver {
  /** `null` when the repository or ref does not exist (or cannot be read); never throws. */
  resolve(owner: string, repo: string, ref: string, signal: AbortSignal): Promise<ResolvedActionRef | null>;
}
