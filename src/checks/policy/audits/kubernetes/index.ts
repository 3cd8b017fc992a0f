import type { Audit } from "../../audit.js";
import type { KubernetesDocument } from "../../domains/kubernetes.js";
import { dangerousCapabilities } from "./dangerous-capabilities.js";
import { hostNamespaces } from "./host-namespaces.js";
import { hostPathVolume } from "./host-path-volume.js";
import { privilegeEscalation } from "./privilege-escalation.js";
import { privilegedContainer } from "./privileged-container.js";
import { runsAsRoot } from "./runs-as-root.js";
import { secretLiteral } from "./secret-literal.js";

export const kubernetesAudits: readonly Audit<KubernetesDocument>[] = [
  privilegedContainer,
  privilegeEscalation,
  runsAsRoot,
  hostPathVolume,
  hostNamespaces,
  dangerousCapabilities,
  secretLiteral,
];
