/**
 * The image runs as root: the final stage sets no USER, or its last USER is `root`, `0` (with any
 * group) or, on Windows, `ContainerAdministrator` (hadolint DL3002, checkov CKV_DOCKER_8). A process
 * broken into through the application then owns the container, and with a kernel or runtime bug
 * (or a mounted socket) the host.
 *
 * Only the final stage counts (builder stages run at build time); a final stage that builds on an
 * earlier one (`FROM base`) inherits that stage's USER. Base images known to run as a non-root user
 * by default are not reported: distroless and other `:nonroot`/`-rootless` tags, Chainguard images,
 * nginx-unprivileged, Red Hat's S2I language images (UID 1001) and Windows Nano Server
 * (ContainerUser). Confidence: high for an explicit `USER root`; medium when the base is known to
 * start as root (Docker's official images, scratch, distroless); low for other bases, which may set
 * a user this file cannot see (`FROM $BASE_IMAGE`, an organisation's image). A USER from a variable
 * (`USER $APP_UID`) is taken as not root.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import { finalStage, splitImage, type DockerfileDocument, type DockerStage, type ImageRef, type UserInstruction } from "../../domains/dockerfile.js";

export default defineAudit<DockerfileDocument>({
  id: "root-user",
  domain: "dockerfile",
  title: "Container runs as root",
  description: "The final stage sets no non-root USER, so whoever breaks into the application is root in the container, one kernel or runtime bug away from the host.",
  severity: "medium",
  confidence: "medium",
  remediation: "Create an unprivileged user (or use the base image's, e.g. `node`, `nonroot`) and end the final stage with `USER <name or uid>`.",
  link: "https://docs.docker.com/build/building/best-practices/#user",
  samples: {
    valid: [
      { text: "FROM python:3.12-slim\nRUN useradd --create-home app\nCOPY --chown=app . /app\nUSER app\nCMD [\"python\", \"-m\", \"app\"]\n" },
      {
        text: "FROM node:20-bookworm AS build\nUSER root\nRUN npm ci && npm run build\nFROM gcr.io/distroless/nodejs20-debian12:nonroot\nCOPY --from=build /app /app\nCMD [\"/app/server.js\"]\n",
        note: "a distroless :nonroot final stage; USER root in the builder does not count",
      },
      { text: "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /bin/app .\nFROM scratch\nCOPY --from=build /bin/app /app\nUSER 65534:65534\nENTRYPOINT [\"/app\"]\n" },
      { text: "FROM nginxinc/nginx-unprivileged:1.27-alpine\nCOPY dist/ /usr/share/nginx/html/\n", note: "a base that runs as a non-root user by default" },
      { text: "FROM eclipse-temurin:21-jre AS base\nRUN useradd -r app\nUSER app\nFROM base\nCOPY app.jar /app.jar\n", note: "the final stage inherits the user of the stage it builds on" },
    ],
    invalid: [
      { text: "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"server.js\"]\n", lines: [1], note: "no USER: reported on the final FROM" },
      { text: "FROM node:20-alpine AS build\nUSER node\nRUN npm ci\nFROM node:20-alpine\nCOPY --from=build /app /app\n", lines: [4], note: "a builder's USER does not make the final stage non-root" },
      { text: "FROM debian:bookworm-slim\nRUN useradd app\nUSER app\nRUN ./setup.sh\nUSER root\nCMD [\"/entrypoint.sh\"]\n", lines: [5] },
      { text: "FROM alpine:3.20\nUSER 0:0\n", lines: [2] },
    ],
  },
  run(doc) {
    const finding = judge(doc);
    return finding ? [finding] : [];
  },
});

function judge(doc: DockerfileDocument): AuditFinding | undefined {
  const final = finalStage(doc);
  const seen = new Set<number>();
  let stage: DockerStage = final;
  for (;;) {
    const user = lastUser(stage);
    if (user) {
      if (!isRoot(user)) return undefined;
      return { line: user.line, message: `The final stage's last USER is \`${user.user}\`: the container runs as root.`, confidence: "high" };
    }
    seen.add(stage.index);
    const parent = stage.from.image.stage;
    if (parent === undefined || seen.has(parent)) break;
    stage = doc.stages[parent]!;
  }
  const base = stage.from.image;
  if (runsAsNonRootByDefault(base)) return undefined;
  const knownRoot = runsAsRootByDefault(base);
  return {
    line: final.from.line,
    message: knownRoot
      ? `The final stage (\`FROM ${final.from.image.raw}\`) sets no USER, and its base runs as root by default: the container runs as root.`
      : `The final stage (\`FROM ${final.from.image.raw}\`) sets no USER, so the container runs as root unless the base image sets a user.`,
    confidence: knownRoot ? "medium" : "low",
    // The problem is the stage, not the FROM text: bumping the base image's tag is not a new finding.
    key: "final stage without USER",
  };
}

function lastUser(stage: DockerStage): UserInstruction | undefined {
  for (let i = stage.instructions.length - 1; i >= 0; i--) {
    const instruction = stage.instructions[i]!;
    if (instruction.kind === "user" && instruction.user !== "") return instruction;
  }
  return undefined;
}

function isRoot(user: UserInstruction): boolean {
  const name = user.user.toLowerCase();
  return name === "root" || /^0+$/.test(name) || name === "containeradministrator";
}

/**
 * Bases that start as root unless told otherwise: Docker's official images (`node`, `python`,
 * `docker.io/library/debian`), `scratch`, distroless without a nonroot tag, Windows Server Core.
 * Anything else (an organisation's image, `FROM $BASE_IMAGE`) may set its own USER.
 */
function runsAsRootByDefault(image: ImageRef): boolean {
  if (image.resolved === undefined && image.hasVariables) return false;
  const { name } = splitImage((image.resolved ?? image.raw).toLowerCase());
  if (name === "scratch" || name.startsWith("gcr.io/distroless/") || name.startsWith("mcr.microsoft.com/windows/servercore")) return true;
  const path = name.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "");
  return !path.includes("/") || path.startsWith("library/");
}

/** Images whose default user is not root, from their publishers' documentation. */
function runsAsNonRootByDefault(image: ImageRef): boolean {
  const parts = splitImage((image.resolved ?? image.raw).toLowerCase());
  const name = parts.name;
  const tag = parts.tag ?? "";
  if (/(^|-)nonroot($|-)/.test(tag) || /(^|-)rootless($|-)/.test(tag)) return true;
  if (name.startsWith("cgr.dev/chainguard/")) return true;
  if (/(^|\/)nginxinc\/nginx-unprivileged$/.test(name) || name.endsWith("/nginx-unprivileged")) return true;
  if (/^registry\.(access\.)?redhat\.(com|io)\/ubi\d+\/(nodejs|python|php|ruby|perl|go-toolset|openjdk)-/.test(name)) return true;
  return name === "mcr.microsoft.com/windows/nanoserver";
}
