/**
 * `FROM image` with no tag, or `:latest`: the base is whatever the registry serves that day, so
 * builds are not reproducible and a pushed or hijacked tag flows straight into the image (hadolint
 * DL3006/DL3007, checkov CKV_DOCKER_7).
 *
 * Not findings: `scratch`, a FROM naming an earlier stage, a digest (`@sha256:…`, with or without a
 * tag), and a tag or image name that comes from a variable, which the build sets. When every variable
 * has an ARG default and the default resolves to latest, that is reported at low confidence. A name
 * with capitals (`FROM REPLACE-ME`) is not a valid reference but a template's placeholder.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import { splitImage, type DockerfileDocument, type FromInstruction } from "../../domains/dockerfile.js";

export default defineAudit<DockerfileDocument>({
  id: "latest-tag",
  domain: "dockerfile",
  title: "Base image not pinned to a version",
  description: "A FROM by `latest` or with no tag builds on whatever the registry serves that day, so a moved or hijacked tag changes the image without any change to the Dockerfile.",
  severity: "medium",
  confidence: "high",
  remediation: "Name a version tag (`node:20.11-bookworm-slim`), or better a digest (`node:20.11-bookworm-slim@sha256:…`) kept current by Dependabot or Renovate.",
  link: "https://docs.docker.com/build/building/best-practices/#pin-base-image-versions",
  samples: {
    valid: [
      { text: "FROM node:20.11.1-bookworm-slim\nRUN npm ci\n" },
      { text: "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n", note: "scratch and a stage name are not images to pin" },
      { text: "FROM python:3.12-slim AS base\nFROM base AS test\nRUN pytest\nFROM base\n", note: "FROM an earlier stage" },
      { text: "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}-alpine\n", note: "the tag is a build argument" },
      { text: "FROM ubuntu@sha256:2e863c44b718727c860746568e1d54afd13b2fa71b160f5cd9058fc436217b30\n" },
      { text: "FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:8.0 AS build\n" },
    ],
    invalid: [
      { text: "FROM node:latest\nRUN npm ci\n", lines: [1] },
      { text: "FROM ubuntu\nRUN apt-get update\n", lines: [1], note: "no tag means latest" },
      { text: "FROM golang:1.22 AS build\nFROM registry.example.com:5000/team/runtime\nCOPY --from=build /app /app\n", lines: [2], note: "a registry port is not a tag" },
      { text: "ARG TAG=latest\nFROM quay.io/prometheus/busybox:${TAG}\n", lines: [2], note: "the ARG default is latest (low confidence)" },
      { text: "ARG ARCH=amd64\nFROM quay.io/prometheus/busybox-linux-${ARCH}:latest\n", lines: [2], note: "a literal latest tag on a name with variables" },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    const aliases = new Set(doc.stages.flatMap((s) => (s.from.alias !== undefined ? [s.from.alias] : [])));
    for (const stage of doc.stages) {
      const finding = judge(stage.from, aliases);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

function judge(from: FromInstruction, aliases: ReadonlySet<string>): AuditFinding | undefined {
  const image = from.image;
  if (image.stage !== undefined || image.digest !== undefined) return undefined;
  if (image.raw.toLowerCase() === "scratch") return undefined;
  // Repository names are lower-case: `FROM REPLACE-ME` is a template's placeholder, not an image.
  if (/[A-Z]/.test(repositoryPath(image.name))) return undefined;
  const key = `FROM ${image.raw}`;
  const variable = (text: string) => /\$|\{\{|\{%/.test(text);
  if (image.tag !== undefined && !variable(image.tag)) {
    if (image.tag !== "latest") return undefined;
    return { line: from.line, message: `Base image \`${image.raw}\` uses the \`latest\` tag: pin a version or a digest.`, key };
  }
  // The tag, or the last name component that could carry one, comes from a variable.
  const lastComponent = image.name.slice(image.name.lastIndexOf("/") + 1);
  if (image.tag !== undefined || variable(lastComponent)) return resolvedToLatest(from, aliases, key);
  return { line: from.line, message: `Base image \`${image.raw}\` has no tag, so it means \`latest\`: pin a version or a digest.`, key };
}

/** With every variable at its ARG default the image is latest: reported, at low confidence. */
function resolvedToLatest(from: FromInstruction, aliases: ReadonlySet<string>, key: string): AuditFinding | undefined {
  const resolved = from.image.resolved;
  if (resolved === undefined || aliases.has(resolved.toLowerCase()) || resolved.toLowerCase() === "scratch") return undefined;
  const parts = splitImage(resolved);
  if (parts.digest !== undefined || (parts.tag !== undefined && parts.tag !== "latest")) return undefined;
  return {
    line: from.line,
    message: `\`FROM ${from.image.raw}\` resolves to \`${resolved}\` with the ARG defaults: it builds on latest unless the build passes a version.`,
    confidence: "low",
    key,
  };
}

/** The name without its registry host (hosts are case-insensitive) and without variables. */
function repositoryPath(name: string): string {
  const literal = name.replace(/\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g, "");
  const slash = literal.indexOf("/");
  const first = slash < 0 ? "" : literal.slice(0, slash);
  return first.includes(".") || first.includes(":") || first === "localhost" ? literal.slice(slash + 1) : literal;
}
