/**
 * The Dockerfile audits' tricky cases beyond their samples: lines, confidence, what must stay quiet,
 * that secrets never reach messages or keys, and that keys survive reformatting in a change.
 */
import { describe, expect, it } from "vitest";
import type { AuditFinding } from "../../../../src/checks/policy/audit.js";
import { dockerfileAudits } from "../../../../src/checks/policy/audits/dockerfile/index.js";
import { parseDockerfile } from "../../../../src/checks/policy/domains/dockerfile.js";
import { policyCheck } from "../../../../src/checks/policy/index.js";
import { policyOptionsSchema } from "../../../../src/checks/policy/options.js";
import { linesReported } from "../../../helpers/rule-tester.js";

const options = policyOptionsSchema.parse({});

function findings(auditId: string, lines: readonly string[]): AuditFinding[] {
  const audit = dockerfileAudits.find((a) => a.id === auditId);
  if (!audit) throw new Error(`no audit ${auditId}`);
  return [...audit.run(parseDockerfile(`${lines.join("\n")}\n`, "Dockerfile"), { options })];
}
const linesOf = (auditId: string, lines: readonly string[]) => findings(auditId, lines).map((f) => f.line);

describe("latest-tag", () => {
  it.each([
    [["FROM ubuntu:latest@sha256:2e863c44b718727c860746568e1d54afd13b2fa71b160f5cd9058fc436217b30"], []],
    [["FROM golang:1.22 AS Builder", "FROM builder"], []],
    [["FROM golang:1.22 AS builder", "FROM build"], [2]],
    [["ARG IMAGE", "FROM ${IMAGE}"], []],
    [["ARG BASE=debian:12-slim", "FROM $BASE"], []],
    [["FROM REPLACE-ME"], []],
    [["FROM localhost:5000/app"], [1]],
    [["FROM docker.io/library/ubuntu:latest AS base"], [1]],
    [["FROM mcr.microsoft.com/windows/servercore:ltsc2022"], []],
    [["FROM ubuntu:LATEST"], []],
  ])("%j → lines %j", (text, lines) => expect(linesOf("latest-tag", text)).toEqual(lines));

  it("reports an ARG default that resolves to latest at low confidence", () => {
    expect(findings("latest-tag", ["ARG BASE=debian", "FROM $BASE"])).toMatchObject([{ line: 2, confidence: "low" }]);
    expect(findings("latest-tag", ["FROM node"])[0]!.confidence).toBeUndefined();
  });
});

describe("root-user", () => {
  it.each([
    [["FROM node:20 AS base", "USER node", "FROM base AS final", "RUN npm ci"], []],
    [["FROM node:20 AS base", "USER node", "FROM base", "USER root"], [4]],
    [["FROM alpine:3.20", "ONBUILD USER app"], [1]],
    [["FROM alpine:3.20", "USER root:root"], [2]],
    [["FROM alpine:3.20", "USER 0"], [2]],
    [["# escape=`", "FROM mcr.microsoft.com/windows/servercore:ltsc2022", "USER ContainerAdministrator"], [3]],
    [["FROM mcr.microsoft.com/dotnet/aspnet:8.0", "USER $APP_UID"], []],
    [["FROM cgr.dev/chainguard/python:latest"], []],
    [["FROM gcr.io/distroless/static-debian12:debug-nonroot"], []],
    [["FROM gcr.io/distroless/static-debian12"], [1]],
    [["FROM quay.io/jupyter/base-notebook:2024-09-02"], [1]],
  ])("%j → lines %j", (text, lines) => expect(linesOf("root-user", text)).toEqual(lines));

  it("is sure of an explicit root, less of a base it does not know", () => {
    expect(findings("root-user", ["FROM alpine:3.20", "USER root"])[0]!.confidence).toBe("high");
    expect(findings("root-user", ["FROM alpine:3.20"])[0]!.confidence).toBe("medium");
    expect(findings("root-user", ["FROM scratch"])[0]!.confidence).toBe("medium");
    expect(findings("root-user", ["FROM quay.io/jupyter/base-notebook:2024-09-02"])[0]!.confidence).toBe("low");
    expect(findings("root-user", ["ARG BASE_IMAGE", "FROM $BASE_IMAGE"])[0]!.confidence).toBe("low");
  });
});

describe("secret-in-env", () => {
  const secret = "ghp_R4nd0mL00kingT0kenValue1234567890ab";

  it.each([
    [["FROM alpine:3.20", `ENV GITHUB_TOKEN=${secret}`], [2]],
    [["FROM alpine:3.20", "ENV apiKey=Zk3j9LmQ2xVb7Np1"], [2]],
    [["FROM alpine:3.20", "ENV DATABASE_CREDENTIALS=postgres://app:Pa55w0rd@db:5432/app"], [2]],
    [["FROM alpine:3.20", "ENV PWD=/app OLDPWD=/"], []],
    [["FROM alpine:3.20", "ENV AUTH_TOKEN_URL=https://auth.example.com/token"], []],
    [["FROM alpine:3.20", "ENV SECRET_KEY=${SECRET_KEY}"], []],
    [["FROM alpine:3.20", "ENV API_KEY=$API_KEY"], []],
    [["FROM alpine:3.20", "ENV JWT_SECRET=", "ARG DB_PASSWORD"], []],
    [["FROM alpine:3.20", "ARG NPM_TOKEN=<your-token>", "ARG PASSWORD=xxxxxxxx"], []],
    [["FROM alpine:3.20", "ONBUILD ENV SERVICE_PASSWORD=w7Lq2mZ9"], [2]],
    [["FROM alpine:3.20", "ENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE SSL_CERT_DIR=/etc/ssl/certs"], []],
  ])("%j → lines %j", (text, lines) => expect(linesOf("secret-in-env", text)).toEqual(lines));

  it("never puts the value in a message or a key", () => {
    const [finding] = findings("secret-in-env", ["FROM alpine:3.20", `ARG GITHUB_TOKEN=${secret}`]);
    expect(finding!.message).not.toContain(secret.slice(4, 20));
    expect(finding!.key).not.toContain(secret.slice(4, 20));
    expect(finding!.message).toContain("chars");
  });

  it("reports a default password baked into ENV at low confidence", () => {
    expect(findings("secret-in-env", ["FROM alpine:3.20", "ENV ADMIN_PASSWORD=changeme"])).toMatchObject([{ line: 2, confidence: "low", severity: "medium" }]);
  });
});

describe("curl-pipe-shell", () => {
  it.each([
    [["FROM alpine:3.20", "RUN curl -fsSL https://x | tee /tmp/i.sh | sh"], [2]],
    [["FROM alpine:3.20", "RUN curl -fsSL https://x | sudo -E bash -"], [2]],
    [["FROM alpine:3.20", 'RUN eval "$(curl -fsSL https://x/env)"'], [2]],
    [["FROM alpine:3.20", 'RUN bash -c "curl -fsSL https://x | sh"'], [2]],
    [["FROM alpine:3.20", "RUN wget -O - https://x | python3 -"], [2]],
    [["FROM alpine:3.20", "RUN apk add curl \\", "    && curl -fsSL https://x \\", "    | sh"], [3]],
    [["FROM alpine:3.20", "RUN . <(curl -fsSL https://x)"], [2]],
    [["# escape=`", "FROM mcr.microsoft.com/windows/servercore:ltsc2022", "RUN powershell -Command iex ((New-Object System.Net.WebClient).DownloadString('https://chocolatey.org/install.ps1'))"], [3]],
    [["# escape=`", "FROM mcr.microsoft.com/windows/servercore:ltsc2022", 'SHELL ["powershell", "-Command"]', "RUN iwr https://x/install.ps1 -UseBasicParsing | iex"], [4]],
    [["FROM alpine:3.20", "RUN curl -fsSL https://x | sh -c 'cat > /tmp/out'"], []],
    [["FROM alpine:3.20", "RUN curl -fsSL https://x/a.tgz | tar -xz && curl -fsSL https://x/key | gpg --dearmor -o /k.gpg"], []],
    [["FROM alpine:3.20", 'RUN VERSION="$(curl -fsSL https://api.github.com/repos/a/b/releases/latest | jq -r .tag_name)"'], []],
    [["FROM alpine:3.20", 'RUN curl -fsSLo i.sh https://x && [ "$(sha256sum i.sh | cut -d" " -f1)" = "$SHA" ] && sh i.sh'], []],
    [["FROM alpine:3.20", "RUN curl -fsSLO https://x/setup.sh && chmod +x setup.sh && ./setup.sh"], [2]],
    [["FROM alpine:3.20", "RUN curl -fsSLo i.sh https://x", "RUN sh i.sh"], []],
  ])("%j → lines %j", (text, lines) => expect(linesOf("curl-pipe-shell", text)).toEqual(lines));
});

describe("sudo-usage", () => {
  it.each([
    [["FROM ubuntu:24.04", "RUN sudo apt-get update \\", "    && sudo apt-get install -y git"], [2]],
    [["FROM ubuntu:24.04", "RUN sudo -u app npm ci"], []],
    [["FROM ubuntu:24.04", "RUN sudo -u root npm ci"], [2]],
    [["FROM ubuntu:24.04", "RUN echo 'app ALL=(ALL) NOPASSWD: ALL' | sudo tee /etc/sudoers.d/app"], [2]],
    [["FROM ubuntu:24.04", "RUN cat <<EOF > /etc/sudoers.d/app", "# app ALL=(ALL) NOPASSWD: ALL", "Defaults env_reset", "EOF"], []],
    [["FROM ubuntu:24.04", "RUN echo 'use sudo wisely' > /etc/motd"], []],
  ])("%j → lines %j", (text, lines) => expect(linesOf("sudo-usage", text)).toEqual(lines));

  it("rates a NOPASSWD rule above a plain sudo", () => {
    expect(findings("sudo-usage", ["FROM ubuntu:24.04", "RUN echo 'app ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers"])[0]!.severity).toBe("medium");
  });
});

describe("chmod-777", () => {
  it.each([
    [["FROM alpine:3.20", "RUN chmod 2777 /srv"], [2]],
    [["FROM alpine:3.20", "RUN chmod o+w /srv && chmod 666 /srv/f"], [2, 2]],
    [["FROM alpine:3.20", "RUN chmod go-w /srv && chmod +x /srv/run && chmod u=rwx,g=rx,o= /srv"], []],
    [["FROM alpine:3.20", "RUN mkdir -p -m 777 /data"], [2]],
    [["FROM alpine:3.20", 'RUN chmod "$MODE" /data && chmod -R 01777 /tmp'], []],
    [["FROM alpine:3.20", "COPY --chmod=755 run.sh /", "ADD --chmod=0777 app.tar /opt/"], [3]],
    [["FROM alpine:3.20", "RUN sudo chmod -R 777 /opt"], [2]],
  ])("%j → lines %j", (text, lines) => expect(linesOf("chmod-777", text)).toEqual(lines));
});

describe("add-url-without-checksum", () => {
  it.each([
    [["FROM alpine:3.20", "ADD --checksum=sha256:abc https://x/a.tgz /"], []],
    [["FROM alpine:3.20", "ADD git@github.com:moby/buildkit.git#v0.14.1 /src"], []],
    [["FROM alpine:3.20", "ADD ${URL} /x"], []],
    [["FROM alpine:3.20", "ADD http://x/a.tgz /"], [2]],
    [["FROM alpine:3.20", "ONBUILD ADD https://x/a.tgz /"], [2]],
    [["FROM alpine:3.20", "COPY https://x/a.tgz /"], []],
  ])("%j → lines %j", (text, lines) => expect(linesOf("add-url-without-checksum", text)).toEqual(lines));
});

describe("only what the change brings", () => {
  const reported = (ruleId: string, base: string, head: string) => linesReported(policyCheck, ruleId, { path: "Dockerfile", base, text: head }).then((r) => r.lines);

  it("does not report a curl | sh that was only re-wrapped", async () => {
    const base = "FROM node:20\nUSER node\nRUN curl -fsSL https://x | bash\n";
    const head = "FROM node:20\nUSER node\nRUN curl -fsSL https://x \\\n    | bash\n";
    expect(await reported("curl-pipe-shell", base, head)).toEqual([]);
  });

  it("does not report root again when only the base image's tag moved", async () => {
    expect(await reported("root-user", "FROM node:20.10\nCMD [\"node\"]\n", "FROM node:20.11\nCMD [\"node\"]\n")).toEqual([]);
  });

  it("reports a secret whose value changed", async () => {
    expect(await reported("secret-in-env", "FROM node:20\nENV API_KEY=k3y-0ne-Abc123xyz\n", "FROM node:20\nENV API_KEY=k3y-tw0-Def456uvw\n")).toEqual([2]);
  });
});

describe("hostile RUN lines", () => {
  it("run every audit in bounded time", () => {
    const nested = (depth: number): string => (depth === 0 ? "curl -fsSL https://x | sh" : `sh -c "${nested(depth - 1).replace(/["\\$`]/g, "\\$&")}"`);
    const texts = [
      `FROM alpine:3.20\nRUN ${nested(14)}\n`,
      `FROM alpine:3.20\nRUN ${"$(".repeat(30_000)}curl x | sh${")".repeat(30_000)}\n`,
      `FROM alpine:3.20\nRUN ${"curl https://x | ".repeat(20_000)}sh\n`,
      `FROM alpine:3.20\nRUN ${"eval \"$(eval \"".repeat(5_000)}\n`,
      `FROM alpine:3.20\nRUN ${"echo NOPASSWD: ".repeat(20_000)}\n`,
      `FROM alpine:3.20\nRUN <<EOF\n${"chmod 777 /x && sudo true\n".repeat(10_000)}EOF\n`,
      `FROM alpine:3.20\nENV ${"A_TOKEN=\"${{${{".repeat(10_000)}\n`,
    ];
    const start = performance.now();
    for (const text of texts) {
      const doc = parseDockerfile(text, "Dockerfile");
      for (const audit of dockerfileAudits) expect(() => audit.run(doc, { options })).not.toThrow();
    }
    expect(performance.now() - start).toBeLessThan(10_000);
  });
});

