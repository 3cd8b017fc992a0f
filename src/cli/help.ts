/** What `--help` prints. Every flag of the parser in args.ts is documented here. */

const EXIT_CODES = `Exit codes:
  0  the verdict passes (or is neutral: a check could not run and on_error is neutral)
  1  the verdict fails (a finding at or above fail_on, or a check error with on_error: fail)
  2  usage or configuration error: unknown flag, bad value, not a git repository,
     unknown ref, invalid config, or an internal error that stopped the scan
     (the reason is printed on stderr, on one line)`;

export const MAIN_HELP = `pr-sentinel: reviews a change for leaked secrets, risky dependencies and policy violations.

Usage:
  pr-sentinel scan [options] [PATH...]
                               scan a git change (see pr-sentinel scan --help)
  pr-sentinel baseline --output FILE [options] [PATH...]
                               write today's findings to a baseline file, so existing
                               findings stop failing scans while new ones still do
                               (see pr-sentinel baseline --help)
  pr-sentinel audit verify|export [options]
                               check the App's audit trail for edited or deleted records,
                               or export it as JSON Lines or CSV (see pr-sentinel audit --help)
  pr-sentinel tokens create|list|revoke [options]
                               manage the API's tokens and their scopes (see pr-sentinel tokens --help)
  pr-sentinel --help           show this help
  pr-sentinel --version        print the version

${EXIT_CODES}
`;

export const SCAN_HELP = `Usage: pr-sentinel scan [options] [PATH...]

Scans the lines a change adds, inside a git repository, and prints a report on stdout.
The report starts with what was scanned (the two commits, why that base, the config).

What is scanned:
  --base REF         the commit to compare with. Default: the merge-base of HEAD with the
                     remote default branch (origin/HEAD), else with main, else with master.
  --head REF         the commit to scan. Default: HEAD. Not with --staged.
  --staged           scan the index (what the next commit will hold) against HEAD, or
                     against --base when given: for pre-commit hooks.
  --all              scan every file tracked at --head as if it were added (a first audit
                     of a repository); the config is the head's. Not with --base or --staged.
  --history          scan every commit reachable from --head (default HEAD) one by one for
                     secrets: one deleted long ago is still in the history, and leaked. Each
                     finding names the commit, its author date and the path. The config is
                     the head's. Not with --base, --staged or --all.
  --since REF        with --history: only the commits after REF (REF..HEAD).
  --no-commits       scan only the net diff of the range. By default, when the range has
                     more than one commit, each commit is also scanned for secrets: a token
                     added and deleted again on the branch was pushed, so it fails the scan
                     ("committed in <commit>, no longer in the head: rotate it").
  --max-commits N    scan at most N commits one by one (default 250 for a range, no cap
                     with --history); the report says how many were left out.
  PATH...            only the changed files at or below these paths, relative to the
                     current directory; quoted globs ('*.ts', 'src/**/*.json') work too.
                     Files the change does not touch are not scanned. (-- before a
                     PATH that starts with -.)

Output:
  -f, --format FORMAT
                     text (default), json, sarif or markdown.
  -o, --output FILE  write the report to FILE instead of stdout; a one-line summary goes
                     to stderr.
  --no-color         never color the text report (as NO_COLOR=1 does).
  --verbose          text report: also each finding's risk and documentation link, and
                     every check with its finding count and time.

Policy:
  --config FILE      configuration file. Default: .github/pr-sentinel.yml as it is at the
                     base commit, so a change cannot weaken its own scan; with --staged,
                     as it is in the working tree; with --all and --history, at the head.
                     No file: the defaults. A baseline file it names (baseline: PATH) is
                     read from the same place.
  --fail-on SEV      the lowest severity that fails the verdict: critical, high, medium,
                     low, info, or never. Overrides fail_on from the config (default high).
  --offline          do not use the network; checks that need it report that they were
                     skipped (nothing is silently treated as clean).

  -h, --help         show this help

Environment:
  LOG_LEVEL          log level on stderr (fatal, error, warn, info, debug, trace, silent;
                     default error: what the report already says is not logged twice).
                     Logs never go to stdout.
  NO_COLOR           when set, the text report is never colored (it is colored only on a
                     terminal otherwise; --no-color does the same).
  PR_SENTINEL_VERIFY_SECRETS
                     1 or true: ask the providers whether found credentials are live
                     (GitHub, GitLab, Slack, Stripe, OpenAI, npm, AWS STS); a live one is
                     reported "verified active" and critical. Off by default, never
                     from repository config, and off with --offline.

${EXIT_CODES}
`;

export const BASELINE_HELP = `Usage: pr-sentinel baseline --output FILE [options] [PATH...]

Scans as pr-sentinel scan does and writes every finding to FILE as a baseline entry
(fingerprint, rule, path, reason "baseline", today's date): no secret, no evidence. Commit
FILE and name it in .github/pr-sentinel.yml:

  baseline: .github/pr-sentinel-baseline.yml

Scans then count the findings it lists as baselined instead of failing on them, while
any new finding still fails. Like the config, the baseline is read at the base of a
change, so a branch cannot baseline its own findings. A secret in the baseline is still
exposed: rotate it. Writing the baseline again ignores the one in force, so nothing it
listed is lost while the finding is still there.

  -o, --output FILE  where to write it: JSON when FILE ends in .json, else YAML.

What is scanned (as for scan; default: --all, every file tracked at the head):
  --all, --head REF, --base REF, --staged, --history, --since REF, --no-commits,
  --max-commits N, PATH...
  --config FILE, --offline
                     as for pr-sentinel scan --help.

  -h, --help         show this help

Exit codes:
  0  the baseline was written (whatever it holds)
  2  usage or configuration error, or FILE could not be written
`;
