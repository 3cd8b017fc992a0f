# syntax=docker/dockerfile:1
# pr-sentinel: the GitHub App (the default target) and the CLI (target `cli`), from one build.
#   App: docker build -t pr-sentinel .                 Run: see docs/deployment.md.
#   CLI: docker build --target cli -t pr-sentinel-cli .
#        docker run --rm -v "$PWD:/repo" pr-sentinel-cli scan --base origin/main
# The runtime stage stays last: the last stage is what `docker build` builds without --target.

# --- build: install everything, compile TypeScript, then drop dev dependencies ---------------
# Node.js 24 LTS (20 reached end of life in April 2026), pinned by digest: every stage builds from
# exactly this image (the multi-arch index of node:24-slim), so a tag moved on the registry cannot
# change what ships. Dependabot (.github/dependabot.yml, docker ecosystem) proposes new digests
# weekly; to refresh by hand, `docker buildx imagetools inspect node:24-slim` prints the current one.
# The three FROM lines name the same digest (test/dockerfile.test.ts checks it).

FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS build
WORKDIR /app
# re2 is a native addon; these are needed only if no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev

# --- cli: the command-line scanner, with git, over a repository mounted at /repo ------------------
FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS cli
# The CLI reads every change through git. `safe.directory '*'`: a mounted repository belongs to the
# host's user, not to this image's `node` (uid 1000), and git refuses to work in a repository another
# user owns ("dubious ownership"), a guard against running programs that repository's config names.
# This image runs only pr-sentinel, whose git calls switch those programs off (src/sources/git/
# run-git.ts: no fsmonitor, pager, external diff, textconv), so every directory is trusted; set in
# the system config so it holds for any --user too.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/* \
 && git config --system --add safe.directory '*'
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
WORKDIR /repo
USER node
# The flag is the one the bin's shebang passes (src/cli/main.ts): smaller young-generation
# semi-spaces, ~50 MiB less peak memory on a large diff, same speed.
ENTRYPOINT ["node", "--max-semi-space-size=2", "/app/dist/cli/main.js"]
CMD ["scan"]

# --- runtime: compiled code and production dependencies only, as a non-root user -------------
FROM node:24-slim@sha256:a9f5f7c91a432850b2a8a7797adf5eadb6c733ceed61167806cee7ea7fbc29df AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The manifest for Probot's setup flow; no key, no .env: those come from the environment.
COPY --chown=node:node app.yml ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself, not `npm start`: `docker stop` sends SIGTERM to PID 1, and npm in between would
# receive it instead of the server, whose graceful shutdown is what lets in-flight scans finish.
CMD ["node", "dist/app/server.js"]
