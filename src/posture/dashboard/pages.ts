/**
 * The dashboard's pages, rendered to strings from query results (queries.ts). No script; forms
 * (logout) carry the CSRF token; every link back to GitHub is built from the configured web
 * address and URL-encoded names, never from text pasted as is.
 */
import { findingsByWeekChart, scoreTrendChart, sparkline } from "./charts.js";
import { html, safeHref, type Html } from "./html.js";
import { CHART_WEEKS, EXPIRY_DAYS, RISK_WEEKS, RULE_WEEKS, type Overview, type PullRequestPage, type PullRow, type RepositoryPage, type RuleRow, type ScanRow } from "./queries.js";

export interface PageContext {
  readonly login: string | null;
  readonly csrf: string | null;
  /** GitHub's web address, no trailing slash. */
  readonly githubUrl: string;
  /** Where the App is installed from (`{github}/apps/{slug}/installations/new`), when its slug is known. */
  readonly installUrl?: string;
}

const MAX_FINDINGS_SHOWN = 1000;

const seg = (s: string) => encodeURIComponent(s);
function splitName(repository: string): [string, string] {
  const slash = repository.indexOf("/");
  return [repository.slice(0, slash), repository.slice(slash + 1)];
}
export const repoPath = (repository: string) => {
  const [owner, name] = splitName(repository);
  return `/dashboard/repos/${seg(owner)}/${seg(name)}`;
};
const pullPath = (repository: string, n: number) => `${repoPath(repository)}/pulls/${n}`;
const githubRepo = (ctx: PageContext, repository: string) => {
  const [owner, name] = splitName(repository);
  return safeHref(`${ctx.githubUrl}/${seg(owner)}/${seg(name)}`);
};
const githubPull = (ctx: PageContext, repository: string, n: number) => `${githubRepo(ctx, repository)}/pull/${n}`;
const githubRun = (ctx: PageContext, repository: string, id: number) => `${githubRepo(ctx, repository)}/runs/${id}`;

export function layout(ctx: PageContext, title: string, body: Html): string {
  const who = ctx.login
    ? html`<span class="who">Signed in as <strong>${ctx.login}</strong></span>
        <form method="post" action="/dashboard/logout"><input type="hidden" name="csrf" value="${ctx.csrf ?? ""}"><button class="button" type="submit">Sign out</button></form>`
    : html``;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · PR Sentinel</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/style.css">
</head>
<body>
<header><a class="brand" href="/dashboard">PR Sentinel</a>${who}</header>
<main>
${body}
</main>
</body>
</html>
`.text;
}

const conclusionCell = (c: string) => html`<span class="${c === "failure" ? "failure" : c === "success" ? "success" : "muted"}">${c}</span>`;
const when = (iso: string) => html`<time datetime="${iso}">${iso.slice(0, 16).replace("T", " ")}</time>`;

function pullsTable(ctx: PageContext, rows: readonly PullRow[], total: number, showRepo: boolean): Html {
  if (rows.length === 0) return html`<p class="empty">No pull request is failing now.</p>`;
  return html`<table class="failing">
<thead><tr>${showRepo ? html`<th>Repository</th>` : ""}<th>Pull request</th><th class="num">Findings</th><th class="num">Score</th><th>Last scan</th></tr></thead>
<tbody>${rows.map(
    (r) => html`<tr>${showRepo ? html`<td><a href="${repoPath(r.repository)}">${r.repository}</a></td>` : ""}
<td><a href="${pullPath(r.repository, r.pullRequest)}">#${r.pullRequest}</a> <a class="muted" href="${githubPull(ctx, r.repository, r.pullRequest)}">on GitHub</a></td>
<td class="num">${r.findings}</td><td class="num">${r.score}</td><td>${when(r.createdAt)}</td></tr>`,
  )}</tbody></table>
${total > rows.length ? html`<p class="muted">The ${rows.length} most recent of ${total}.</p>` : ""}`;
}

function rulesTable(rows: readonly RuleRow[], withRepos: boolean): Html {
  if (rows.length === 0) return html`<p class="empty">No findings in the last ${RULE_WEEKS} weeks.</p>`;
  return html`<table class="rules"><thead><tr><th>Rule</th><th class="num">Findings</th>${withRepos ? html`<th class="num">Repositories</th>` : ""}</tr></thead>
<tbody>${rows.map((r) => html`<tr><td><code>${r.ruleId}</code></td><td class="num">${r.findings}</td>${withRepos ? html`<td class="num">${r.repositories}</td>` : ""}</tr>`)}</tbody></table>`;
}

export function overviewPage(ctx: PageContext, o: Overview): string {
  const noRepos = o.repositories === 0
    ? html`<p class="notice">Your GitHub account reaches no repository where this App is installed, so there is nothing to show.${ctx.installUrl ? html` <a href="${ctx.installUrl}">Install the App</a> on your repositories.` : ""}</p>`
    : "";
  const body = html`<h1>Organisation overview</h1>
${noRepos}
<p class="muted">Across the ${o.repositories} ${o.repositories === 1 ? "repository" : "repositories"} you can access.</p>
<h2 id="failing">Failing pull requests now (${o.failingTotal})</h2>
${pullsTable(ctx, o.failing, o.failingTotal, true)}
<h2 id="findings-per-week">Findings per week by check family (last ${CHART_WEEKS} weeks)</h2>
<figure class="chart" id="chart-findings">${o.byCheck.length ? findingsByWeekChart(o.weeks, o.byCheck, "Findings per week by check family") : html`<p class="empty">No findings recorded in these weeks.</p>`}</figure>
<div class="grid">
<section><h2 id="riskiest">Riskiest repositories (average score, last ${RISK_WEEKS} weeks)</h2>
${o.riskiest.length === 0 ? html`<p class="empty">No scans in the last ${RISK_WEEKS} weeks.</p>` : html`<table class="riskiest"><thead><tr><th>Repository</th><th class="num">Average</th><th class="num">Max</th><th class="num">Scans</th><th>Trend (${CHART_WEEKS} weeks)</th></tr></thead>
<tbody>${o.riskiest.map((r) => html`<tr><td><a href="${repoPath(r.repository)}">${r.repository}</a></td><td class="num">${r.average}</td><td class="num">${r.max}</td><td class="num">${r.scans}</td><td>${sparkline(r.trend, `Weekly average score of ${r.repository}`)}</td></tr>`)}</tbody></table>`}
</section>
<section><h2 id="rules">Most frequent rules (last ${RULE_WEEKS} weeks)</h2>
${rulesTable(o.rules, true)}</section>
</div>
<h2 id="expiring">Suppressions expiring within ${EXPIRY_DAYS} days</h2>
${o.expiring.length === 0 ? html`<p class="empty">No allowlist entry expires in the next ${EXPIRY_DAYS} days.</p>` : html`<table class="expiring"><thead><tr><th>Expires</th><th>Repository</th><th>Fingerprint</th><th>Reason</th></tr></thead>
<tbody>${o.expiring.map((e) => html`<tr><td>${e.expires}</td><td><a href="${repoPath(e.repository)}">${e.repository}</a></td><td><code>${e.fingerprint.slice(0, 16)}</code></td><td>${e.reason}</td></tr>`)}</tbody></table>`}
<p class="muted">Scores are information for prioritising (0–100, from the findings' severity, confidence and check); the verdict comes from <code>fail_on</code>.</p>`;
  return layout(ctx, "Overview", body);
}

function scansTable(ctx: PageContext, repository: string, scans: readonly ScanRow[], showPull: boolean): Html {
  if (scans.length === 0) return html`<p class="empty">No scans recorded.</p>`;
  return html`<table class="scans"><thead><tr><th>When</th>${showPull ? html`<th>Subject</th>` : ""}<th>Conclusion</th><th>Title</th><th class="num">Findings</th><th class="num">Score</th><th>Head</th><th>Check run</th></tr></thead>
<tbody>${scans.map(
    (s) => html`<tr><td>${when(s.createdAt)}</td>${showPull ? html`<td>${s.pullRequest === null ? html`<span class="muted">merge queue</span>` : html`<a href="${pullPath(repository, s.pullRequest)}">#${s.pullRequest}</a>`}</td>` : ""}
<td>${conclusionCell(s.conclusion)}</td><td>${s.title}</td><td class="num">${s.findings}</td><td class="num">${s.score}</td><td><code>${s.headSha.slice(0, 10)}</code></td>
<td><a href="${githubRun(ctx, repository, s.checkRunId)}">on GitHub</a></td></tr>`,
  )}</tbody></table>`;
}

export function repositoryPageHtml(ctx: PageContext, repository: string, page: RepositoryPage): string {
  const name = page.repository ?? repository;
  const body = html`<p class="muted"><a href="/dashboard">Overview</a> / ${name}</p>
<h1>${name} <a class="button" href="${githubRepo(ctx, name)}">Open on GitHub</a></h1>
<h2 id="trend">Risk score trend (weekly average, last ${CHART_WEEKS} weeks)</h2>
<figure class="chart" id="chart-trend">${page.trend.some((t) => t.average !== null) ? scoreTrendChart(page.trend, `Weekly average risk score of ${name}`) : html`<p class="empty">No scans in these weeks.</p>`}</figure>
<h2 id="failing">Failing pull requests now (${page.failingTotal})</h2>
${pullsTable(ctx, page.failing, page.failingTotal, false)}
<h2 id="scans">Recent scans</h2>
${scansTable(ctx, name, page.scans, true)}
<h2 id="rules">Rules (last ${RULE_WEEKS} weeks)</h2>
${rulesTable(page.rules, false)}`;
  return layout(ctx, name, body);
}

export function pullRequestPageHtml(ctx: PageContext, repository: string, pullRequest: number, page: PullRequestPage): string {
  const latest = page.latest;
  const name = latest?.repository ?? repository;
  const findings = latest?.findings ?? [];
  const shown = findings.slice(0, MAX_FINDINGS_SHOWN);
  const verdict = latest
    ? html`<table class="verdict"><tbody>
<tr><th>Conclusion</th><td>${conclusionCell(latest.verdict.check_run_conclusion)} — ${latest.verdict.title}</td></tr>
<tr><th>Fails on</th><td>${latest.verdict.fail_on ?? "—"}</td></tr>
${latest.verdict.reasons.length ? html`<tr><th>Reasons</th><td>${latest.verdict.reasons.map((r) => html`<div>${r}</div>`)}</td></tr>` : ""}
<tr><th>Head</th><td><code>${latest.head_sha}</code></td></tr>
<tr><th>Suppressed</th><td>${latest.suppressions.inline} inline, ${latest.suppressions.allowlist.count} by the allowlist, ${latest.suppressions.baseline} by the baseline, ${latest.suppressions.ignored_paths} files by <code>paths.ignore</code></td></tr>
<tr><th>Checks</th><td>${latest.checks.map((c) => html`<div><code>${c.check_id}</code>: ${c.status}${c.message ? html` — ${c.message}` : ""}</div>`)}</td></tr>
</tbody></table>`
    : html`<p class="empty">No scan recorded.</p>`;
  const body = html`<p class="muted"><a href="/dashboard">Overview</a> / <a href="${repoPath(name)}">${name}</a> / #${pullRequest}</p>
<h1>${name} #${pullRequest} <a class="button" href="${githubPull(ctx, name, pullRequest)}">Open on GitHub</a></h1>
<h2 id="verdict">Latest verdict</h2>
${verdict}
<h2 id="findings">Findings of the latest scan (${latest?.counts.total ?? 0})</h2>
${shown.length === 0 ? html`<p class="empty">No findings.</p>` : html`<table class="findings"><thead><tr><th>Rule</th><th>Severity</th><th>Confidence</th><th>Path</th><th class="num">Line</th><th>Fingerprint</th></tr></thead>
<tbody>${shown.map((f) => html`<tr><td><code>${f.rule_id}</code></td><td>${f.severity}</td><td>${f.confidence}</td><td><code>${f.path}</code></td><td class="num">${f.start_line === f.end_line ? f.start_line : `${f.start_line}–${f.end_line}`}</td><td><code>${f.fingerprint.slice(0, 12)}</code></td></tr>`)}</tbody></table>
${findings.length > shown.length || (latest?.findings_omitted ?? 0) > 0 ? html`<p class="muted">${shown.length} shown of ${latest?.counts.total ?? findings.length}.</p>` : ""}`}
<h2 id="scans">Scans of this pull request</h2>
${scansTable(ctx, name, page.scans, false)}`;
  return layout(ctx, `${name} #${pullRequest}`, body);
}

export function signInPage(ctx: PageContext, message?: string): string {
  return layout(
    ctx,
    "Sign in",
    html`<h1>PR Sentinel dashboard</h1>
${message ? html`<p class="notice">${message}</p>` : ""}
<p>Sign in with your GitHub account to see the repositories you can access where this App is installed.</p>
<p><a class="button primary" id="sign-in" href="/dashboard/login">Sign in with GitHub</a></p>`,
  );
}

export function messagePage(ctx: PageContext, title: string, message: string): string {
  return layout(ctx, title, html`<h1>${title}</h1><p class="notice">${message}</p><p><a href="/dashboard">Back to the overview</a></p>`);
}
