import type { Audit } from "../../audit.js";
import type { DockerfileDocument } from "../../domains/dockerfile.js";
import addUrlWithoutChecksum from "./add-url-without-checksum.js";
import chmod777 from "./chmod-777.js";
import curlPipeShell from "./curl-pipe-shell.js";
import latestTag from "./latest-tag.js";
import rootUser from "./root-user.js";
import secretInEnv from "./secret-in-env.js";
import sudoUsage from "./sudo-usage.js";

export const dockerfileAudits: readonly Audit<DockerfileDocument>[] = [latestTag, rootUser, secretInEnv, curlPipeShell, sudoUsage, chmod777, addUrlWithoutChecksum];
