/**
 * `toJSON(secrets)` (or `${{ secrets }}` itself) serialises every secret the job can see into one
 * value: a step, action or script that needs one secret gets all of them, and one leak (a log line,
 * an artifact, a compromised action) leaks them all. It also defeats least privilege between
 * environments (zizmor's `overprovisioned-secrets`). Reads are found with GitHub's expression
 * parser in every value of the document; only reads that can become the value count, so
 * `if: toJSON(secrets) != '{}'`-style conditions, which pass nothing on, are not reported.
 *
 * Key: `<key path of the value>:whole-secrets`, so moving the step is not new, a second value
 * that serialises the secrets is.
 */
import { defineAudit, type AuditFinding } from "../../audit.js";
import type { WorkflowDocument } from "../../domains/workflow.js";
import { expressionsUnder } from "../../workflow/scalar-expressions.js";
import { secretReads } from "../../workflow/secret-use.js";
import { stablePath } from "../../workflow/step-label.js";

/**
 * A cheap filter before the walk: `secrets` followed by something other than `.`, `[`, a name
 * character or a YAML key's colon (`toJSON(secrets)`, `${{ secrets }}`, or the end of the line).
 */
const WHOLE_SECRETS_HINT = /(?:^|[^\w.-])secrets\s*(?:$|[^\s.[\w:-])/i;

export const secretsToJson = defineAudit<WorkflowDocument>({
  id: "secrets-to-json",
  domain: "workflow",
  title: "Every secret exposed at once",
  description:
    "`toJSON(secrets)` or `${{ secrets }}` hands every secret of the repository, organisation and environment to one step, so one leak or compromised action exposes them all.",
  severity: "high",
  confidence: "high",
  remediation: "Pass each secret the step needs by name (`${{ secrets.NPM_TOKEN }}`), through `env:` or `with:`.",
  link: "https://docs.github.com/en/actions/security-for-github-actions/security-guides/using-secrets-in-github-actions#using-secrets-in-a-workflow",
  samples: {
    valid: [
      {
        text: `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
        env:
          API_TOKEN: \${{ secrets.API_TOKEN }}
          REGION: \${{ secrets['DEPLOY_REGION'] }}
      - run: echo "\${{ toJSON(github.event.inputs) }}" > inputs.json
`,
      },
      {
        note: "a condition on the serialised secrets passes nothing on; a comment or a string literal is not a read",
        text: `on: push
jobs:
  check:
    runs-on: ubuntu-latest
    # never use toJSON(secrets) here
    steps:
      - if: \${{ toJSON(secrets) != '{}' }}
        run: echo "\${{ format('{0}', 'toJSON(secrets)') }}"
`,
      },
    ],
    invalid: [
      {
        text: `on: workflow_dispatch
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: Write config
        env:
          ALL_SECRETS: \${{ toJSON(secrets) }}
        run: echo "$ALL_SECRETS" | ./configure
`,
        lines: [8],
      },
      {
        note: "the whole context in a script and in an action input; function names are case-insensitive",
        text: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@v7
        with:
          script: |
            const all = \${{ tojson(secrets) }};
            core.info(Object.keys(all).join(","));
      - uses: acme/config-action@v1
        with:
          values: \${{ secrets }}
`,
        lines: [9, 13],
      },
    ],
  },
  run(doc) {
    const findings: AuditFinding[] = [];
    if (!doc.lines.some((line) => WHOLE_SECRETS_HINT.test(line))) return findings;
    for (const read of secretReads(expressionsUnder(doc, [], "secrets"))) {
      if (read.name !== undefined || !read.reachesValue) continue;
      const where = stablePath(doc, read.path);
      findings.push({
        line: read.line,
        key: `${where}:whole-secrets`,
        message: `\`${where}\` receives every secret the job can see (the whole \`secrets\` context): pass the secrets it needs by name instead.`,
      });
    }
    return findings;
  },
});
