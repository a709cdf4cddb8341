// The dashboard page: one GET of /api/overview, rendered with DOM calls only (every value from the
// ledger goes through textContent, never HTML). uPlot (window.uPlot) draws the KPI charts.

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

const word = (v) => (v === undefined || v === null ? '-' : String(v));
const state = (v) => el('span', { class: word(v).toLowerCase() }, word(v));
const short = (sha) => (sha ? sha.slice(0, 12) : '-');

function duration(s) {
  if (s === null || s === undefined) return '-';
  s = Math.round(s);
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm' + (s % 60 ? (s % 60) + 's' : '');
  return Math.floor(s / 3600) + 'h' + Math.floor((s % 3600) / 60) + 'm';
}
const percent = (r) => (r === null || r === undefined ? '-' : (r * 100).toFixed(1) + '%');

function renderChain(a) {
  const v = $('chain-verdict');
  v.textContent = a.verdict;
  v.className = 'verdict ' + a.verdict;
  const parts = [];
  if (a.first_bad_sequence !== undefined) {
    parts.push('first bad sequence ' + a.first_bad_sequence + ' (' + a.reason + ')');
  }
  if (a.detail) parts.push(a.detail);
  parts.push(a.entries + ' entries');
  parts.push(a.anchors.checked + ' anchor(s) checked in ' + a.anchors.bucket);
  if (a.anchors.disagrees) parts.push('anchor ' + a.anchors.disagrees + ' disagrees (' + a.anchors.code + ')');
  if (a.anchors.note) parts.push(a.anchors.note);
  parts.push(a.macs_checked ? 'MACs checked' : 'MACs not checked (no --mac-key)');
  $('chain-detail').textContent = parts.join(' · ');
  $('chain').dataset.verdict = a.verdict;
  $('chain').dataset.firstBadSequence = a.first_bad_sequence ?? '';
}

function renderArtifacts(artifacts) {
  const root = $('artifact-tables');
  root.replaceChildren();
  const byService = new Map();
  for (const a of artifacts) {
    if (!byService.has(a.service)) byService.set(a.service, []);
    byService.get(a.service).push(a);
  }
  if (byService.size === 0) root.append(el('p', { class: 'muted' }, 'No artifact in the ledger yet.'));
  for (const [service, list] of byService) {
    const envs = [...new Set(list.flatMap((a) => Object.keys(a.environment_states || {})))];
    const head = el('tr', {}, el('th', {}, 'commit'), el('th', {}, 'status'),
      envs.map((e) => el('th', {}, e + ' status / test')),
      el('th', {}, 'health'), el('th', {}, 'last known good'), el('th', {}, 'built'));
    const rows = list.map((a) => el('tr', { 'data-service': a.service, 'data-commit': a.commit_sha, 'data-status': a.status },
      el('td', {}, el('code', { title: a.commit_sha }, short(a.commit_sha))),
      el('td', {}, state(a.status)),
      envs.map((e) => {
        const s = (a.environment_states || {})[e] || {};
        return el('td', { 'data-env': e, 'data-env-status': s.status, 'data-test-status': s.test_status },
          state(s.status), ' / ', state(s.test_status));
      }),
      el('td', {}, state(a.global_health_status)),
      el('td', {}, el('code', { title: a.last_known_good_commit || '' }, short(a.last_known_good_commit))),
      el('td', { class: 'muted' }, word(a.build_time))));
    root.append(el('h3', {}, service), el('table', { 'data-service': service }, el('thead', {}, head), el('tbody', {}, rows)));
  }
}

/** A query as text to select, with a button that copies it (the page needs no internet). */
function copyable(text) {
  const pre = el('pre', { class: 'query' }, text);
  const button = el('button', { type: 'button', class: 'copy' }, 'copy');
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'copied';
    } catch {
      window.getSelection().selectAllChildren(pre);
      button.textContent = 'selected: Ctrl-C';
    }
  });
  return el('div', {}, button, pre);
}

function renderTimelines(timelines) {
  const root = $('timeline-list');
  root.replaceChildren();
  for (const [artifact, transitions] of Object.entries(timelines)) {
    const [service, commit] = artifact.split('@');
    const rows = transitions.map((t) => {
      const keys = JSON.stringify(t.correlation, null, 1);
      const logs = el('details', {},
        el('summary', {}, 'correlation keys and Logs Insights queries'),
        el('pre', { class: 'keys' }, keys),
        copyable(t.queries.audit_entry),
        t.queries.execution ? copyable(t.queries.execution) : null);
      return el('tr', { 'data-sequence': t.audit_sequence, 'data-action': t.action, 'data-environment': t.correlation.environment },
        el('td', {}, el('code', {}, t.audit_sequence)),
        el('td', { class: 'muted' }, t.timestamp),
        el('td', {}, t.action, t.failure_code ? el('span', { class: 'failed' }, ' ' + t.failure_code) : null),
        el('td', {}, word(t.correlation.environment)),
        el('td', {}, (t.changes || []).map((c) => el('div', {}, c.field + ': ', state(c.from), ' → ', state(c.to)))),
        el('td', {}, logs));
    });
    root.append(el('details', { 'data-artifact': artifact, open: Object.keys(timelines).length <= 4 },
      el('summary', {}, service + ' @ ' + short(commit) + ' — ' + transitions.length + ' transitions'),
      el('table', {}, el('thead', {}, el('tr', {}, ['seq', 'time', 'action', 'environment', 'changes', 'logs'].map((h) => el('th', {}, h)))),
        el('tbody', {}, rows))));
  }
}

function renderInterventions(list) {
  const root = $('intervention-list');
  root.replaceChildren();
  if (list.length === 0) {
    root.append(el('p', { class: 'muted' }, 'None recorded.'));
    return;
  }
  root.append(el('table', {},
    el('thead', {}, el('tr', {}, ['seq', 'time', 'kind', 'action', 'artifact', 'environment', 'actor', 'reason'].map((h) => el('th', {}, h)))),
    el('tbody', {}, list.map((x) => el('tr', { 'data-kind': x.kind, 'data-action': x.action },
      el('td', {}, el('code', {}, x.audit_sequence)), el('td', { class: 'muted' }, x.timestamp), el('td', {}, x.kind),
      el('td', {}, x.action), el('td', {}, word(x.service) + ' @ ' + short(x.commit_sha)),
      el('td', {}, word(x.environment)), el('td', { class: 'muted' }, x.actor), el('td', {}, word(x.reason)))))));
}

const charts = [];

function renderKpis(k) {
  const all = k.all;
  const targets = all.meets_targets || {};
  const verdict = (m) => (m === null || m === undefined ? el('span', { class: 'muted' }, 'no data')
    : m ? el('span', { class: 'met' }, 'met') : el('span', { class: 'missed' }, 'missed'));
  const card = (id, title, value, target, met) => el('div', { class: 'card', 'data-kpi': id },
    el('div', { class: 't' }, title), el('div', { class: 'v' }, value), el('div', { class: 't' }, target, ': ', verdict(met)));
  $('kpi-cards').replaceChildren(
    card('lead_time', 'Lead time (median / p90)', duration(all.lead_time_seconds.median) + ' / ' + duration(all.lead_time_seconds.p90), 'target < 30m', targets.lead_time_median_under_30m),
    card('deployment_frequency', 'Prod deployments', all.deployment_frequency.prod_deployments + ' (' + all.deployment_frequency.per_day + '/day)', all.since.slice(0, 10) + ' to ' + all.until.slice(0, 10), null),
    card('change_failure_rate', 'Change failure rate', percent(all.change_failure_rate.rate) + ' (' + all.change_failure_rate.failed_deployments + ' of ' + all.change_failure_rate.prod_deployments + ')', 'target < 5%', targets.change_failure_rate_under_5pct),
    card('mttr', 'MTTR', duration(all.mttr_seconds.mean), 'target < 15m', targets.mttr_under_15m),
    card('rollback_rate', 'Rollback rate', percent(all.rollback_rate.rate) + ' (' + all.rollback_rate.rollbacks + ')', 'target < 2%', targets.rollback_rate_under_2pct),
    card('test_failure_rate', 'Test failure rate, 7 days', percent(all.test_failure_rate_7d.rate) + ' (' + all.test_failure_rate_7d.failed + ' of ' + all.test_failure_rate_7d.completed + ')', 'TestFailureRate', null));
  const days = k.daily;
  const xs = days.map((d) => Date.parse(d.day + 'T00:00:00Z') / 1000);
  const root = $('kpi-charts');
  charts.splice(0).forEach((c) => c.destroy());
  root.replaceChildren();
  const series = [
    ['prod_deployments', 'Prod deployments per day', '#0969da', (v) => v],
    ['lead_time_median_seconds', 'Lead time median (min)', '#8250df', (v) => (v === null ? null : v / 60)],
    ['change_failure_rate', 'Change failure rate (%)', '#cf222e', (v) => (v === null ? null : v * 100)],
    ['mttr_seconds', 'MTTR (min)', '#9a6700', (v) => (v === null ? null : v / 60)],
  ];
  for (const [key, label, stroke, scale] of series) {
    const box = el('div', { 'data-chart': key });
    root.append(box);
    const ys = days.map((d) => scale(d[key] ?? null));
    if (typeof window.uPlot !== 'function') continue;
    charts.push(new window.uPlot({
      title: label, width: 420, height: 180,
      series: [{}, { label, stroke, width: 2, points: { show: true, size: 6 }, spanGaps: false }],
      axes: [{}, {}],
    }, [xs, ys], box));
  }
}

async function load() {
  $('error').hidden = true;
  try {
    const r = await fetch('api/overview', { cache: 'no-store' });
    const body = await r.json();
    if (!r.ok) throw new Error(body.error + ': ' + body.message);
    renderChain(body.audit);
    renderArtifacts(body.artifacts);
    renderKpis(body.kpis);
    // As `cairn kpi` does: figures from a chain that does not verify are shown, marked untrusted.
    if (body.audit.verdict === 'broken') {
      $('kpi-cards').prepend(el('p', { class: 'broken', 'data-untrusted': 'true' },
        'The audit chain is broken: these figures are untrusted.'));
    }
    renderInterventions(body.interventions);
    renderTimelines(body.timelines);
    $('generated').textContent = 'as of ' + body.generated_at;
    document.body.dataset.loaded = body.generated_at;
  } catch (e) {
    $('error').textContent = 'Cannot load the dashboard data: ' + e.message;
    $('error').hidden = false;
    document.body.dataset.loaded = 'error';
  }
}

$('refresh').addEventListener('click', load);
load();
