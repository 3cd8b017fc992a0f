/**
 * A binary added to the tree cannot be reviewed: an executable, an archive or a compiled object in a
 * pull request is code nobody read (the Gradle wrapper jar is the classic vector, which is why
 * Gradle publishes checksums for it), and a vendored archive hides its contents from every other
 * check. Low severity and low confidence: most binaries are legitimate, so this is a summary line
 * asking for a look, not an inline comment.
 *
 * Binary means what git and the sources decide (a NUL byte in the first 8,000 bytes). Not
 * reported: images, fonts, audio, video, PDF and office documents by extension (assets, not code),
 * Bun's `bun.lockb` (a lockfile that is binary by design), and binaries that another file audit
 * reports with more to say (keystores, browser and password databases, Terraform's working
 * directory and state).
 */
import { defineAudit } from "../../audit.js";
import type { FileDocument } from "../../domains/file.js";
import { isReportedBinaryStore } from "./credential-store-file.js";
import { isBinary } from "./_file-content.js";
import { fileFinding } from "./_file-finding.js";
import { belowFolder, describePath, type FilePath } from "./_file-path.js";
import { isReportedKeystore } from "./private-key-file.js";

const MEDIA = new Set([
  // images
  "png", "jpg", "jpeg", "jfif", "gif", "webp", "bmp", "ico", "icns", "cur", "tif", "tiff", "avif", "heic", "heif", "jxl", "psd", "xcf", "svgz", "dds", "tga", "exr", "hdr",
  // fonts
  "woff", "woff2", "ttf", "otf", "eot", "ttc", "pfb",
  // audio and video
  "mp3", "mp4", "m4a", "m4v", "aac", "wav", "ogg", "oga", "ogv", "opus", "flac", "webm", "mov", "avi", "mkv", "mid", "midi",
  // documents
  "pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "odg", "epub", "rtf", "doc", "xls", "ppt",
]);
const EXECUTABLES = new Set(["exe", "dll", "so", "dylib", "bin", "com", "msi", "scr", "sys", "elf", "out", "app", "run", "appimage"]);
const ARCHIVES = new Set(["zip", "jar", "war", "ear", "aar", "apk", "aab", "ipa", "tar", "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "whl", "egg", "nupkg", "deb", "rpm", "gem", "crx", "vsix", "xpi", "cab", "iso", "dmg"]);
const COMPILED = new Set(["class", "pyc", "pyo", "o", "obj", "a", "lib", "wasm", "beam", "dex", "ko", "node", "pdb"]);
const WRAPPER_JARS = new Set(["gradle-wrapper.jar", "maven-wrapper.jar"]);
const DESIGNED_BINARY = new Set(["bun.lockb"]);

export const binaryFile = defineAudit<FileDocument>({
  id: "binary-file",
  domain: "file",
  title: "Binary file added",
  description: "An executable, archive or compiled object added to the repository is code nobody can review in the pull request, and a way to slip a backdoor or a vendored copy past every other check.",
  severity: "low",
  confidence: "low",
  remediation:
    "Build binaries in CI from reviewed source or fetch them from a release with a pinned checksum instead of committing them; if one must be committed, record where it came from and its checksum in the pull request.",
  link: "https://docs.gradle.org/current/userguide/gradle_wrapper.html#wrapper_checksum_verification",
  samples: {
    valid: [
      { path: "docs/img/logo.png", text: "\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000\u0000\u0010", note: "an image" },
      { path: "assets/fonts/Inter-Regular.woff2", text: "wOF2\u0000\u0001\u0000\u0000\u0000\u0000\u00b4\u0010", note: "a font" },
      { path: "bun.lockb", text: "#!/usr/bin/env bun\nbun-lockfile-format-v0\n\u0000\u0000\u0002", note: "Bun's lockfile is binary by design" },
      { path: "scripts/build.sh", text: "#!/bin/sh\nset -eu\nnpm ci\nnpm run build\n", note: "text" },
    ],
    invalid: [
      { path: "tools/bin/protoc", text: "\u007fELF\u0002\u0001\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0002\u0000>\u0000", lines: [1], note: "an executable without extension" },
      { path: "gradle/wrapper/gradle-wrapper.jar", text: "PK\u0003\u0004\u0014\u0000\b\b\b\u0000", lines: [1] },
      { path: "vendor/libs/legacy-client.zip", text: "PK\u0003\u0004\n\u0000\u0000\u0000\u0000\u0000", lines: [1] },
    ],
  },
  run(doc) {
    if (!isBinary(doc)) return [];
    const file = describePath(doc.path);
    if (MEDIA.has(file.extension) || DESIGNED_BINARY.has(file.name) || claimedElsewhere(file)) return [];
    return [fileFinding(doc, { message: describeBinary(file, doc.text), severity: "low", confidence: "low" })];
  },
});

function claimedElsewhere(file: FilePath): boolean {
  return isReportedKeystore(file) || isReportedBinaryStore(file) || belowFolder(file, ".terraform") || /\.tfstate(?:\.|$)/.test(file.name);
}

function describeBinary(file: FilePath, text: string | null): string {
  const name = `\`${file.baseName}\``;
  if (WRAPPER_JARS.has(file.name)) return `${name} is a build-tool wrapper jar: it runs on every build, so verify it against the published checksum for its version.`;
  const kind = kindOf(file, text);
  return `${name} is ${kind} added as a binary: its content cannot be reviewed here, so check where it came from.`;
}

function kindOf(file: FilePath, text: string | null): string {
  const magic = text?.slice(0, 4) ?? "";
  if (EXECUTABLES.has(file.extension) || magic.startsWith("\u007fELF") || magic.startsWith("MZ") || magic === "\u00cf\u00fa\u00ed\u00fe" || magic === "\u00ce\u00fa\u00ed\u00fe") return "an executable";
  if (ARCHIVES.has(file.extension) || magic === "PK\u0003\u0004" || magic.startsWith("\u001f\u008b")) return "an archive";
  if (COMPILED.has(file.extension) || magic === "\u0000asm" || magic === "\u00ca\u00fe\u00ba\u00be") return "a compiled object";
  return "a file";
}
