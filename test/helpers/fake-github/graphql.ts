/**
 * The two GraphQL operations the app uses for review threads: listing a pull request's threads and
 * resolving one. Anything else is an error, so an unexpected query fails the test loudly.
 */
import type { FakeState, FakeUser } from "./state.js";
import { pullKey } from "./state.js";

export interface GraphqlRequest {
  query?: string;
  variables?: Record<string, unknown>;
}

export interface GraphqlAnswer {
  readonly data?: unknown;
  readonly errors?: { message: string; type?: string }[];
}

export function answerGraphql(state: FakeState, request: GraphqlRequest, viewer: FakeUser): GraphqlAnswer {
  const query = request.query ?? "";
  const vars = request.variables ?? {};
  if (/\breviewThreads\s*\(/.test(query) && /^\s*query\b/.test(query)) {
    const key = pullKey(String(vars.owner), String(vars.repo), Number(vars.number));
    if (!state.pulls.has(key)) return { data: { repository: null }, errors: [{ message: "Could not resolve to a Repository", type: "NOT_FOUND" }] };
    const threads = state.threads.filter((t) => t.pull === key);
    const start = vars.cursor ? Number(String(vars.cursor).replace("cursor:", "")) : 0;
    const page = threads.slice(start, start + 100);
    const end = start + page.length;
    return {
      data: {
        repository: {
          pullRequest: {
            reviewThreads: {
              pageInfo: { hasNextPage: end < threads.length, endCursor: page.length ? `cursor:${end}` : null },
              nodes: page.map((t) => {
                const comments = t.commentIds.map((id) => state.reviewComments.find((c) => c.id === id)!);
                return {
                  id: t.id,
                  isResolved: t.isResolved,
                  viewerCanResolve: true,
                  comments: {
                    totalCount: comments.length,
                    nodes: comments.slice(0, 2).map((c) => ({ body: c.body, viewerDidAuthor: c.user.login === viewer.login })),
                  },
                };
              }),
            },
          },
        },
      },
    };
  }
  if (/^\s*mutation\b/.test(query) && /\bresolveReviewThread\s*\(/.test(query)) {
    const thread = state.threads.find((t) => t.id === vars.threadId);
    if (!thread) return { errors: [{ message: `Could not resolve to a node with the global id of '${String(vars.threadId)}'`, type: "NOT_FOUND" }] };
    thread.isResolved = true;
    thread.resolvedBy = viewer.login;
    return { data: { resolveReviewThread: { thread: { id: thread.id, isResolved: true } } } };
  }
  return { errors: [{ message: "the fake GitHub does not know this GraphQL operation" }] };
}
