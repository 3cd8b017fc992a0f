/**
 * Probot's Octokit with one retry layer, ours (transient-retry.ts): Octokit's retry plugin is off so
 * attempts do not multiply. The throttling plugin stays on and paces writes per installation
 * (Probot passes the installation id as the limiter key, and Bottleneck's Redis connection in queue
 * mode). Probot's own secondary-limit handler only logs, so such an answer reaches our retry layer,
 * which honours `retry-after`.
 */
import { ProbotOctokit } from "probot";

export const PrSentinelOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
}));
