#!/usr/bin/env node
// Draws DeployArtifactPipeline from the production ASL as Mermaid (which GitHub renders; no
// renderer is needed here). Writes two diagrams between their markers:
//   README.md                 the flow, and the pipeline at a glance: bookkeeping states (Record*,
//                             Emit*, Publish*, Alert*) and single-step Pass states are folded into
//                             the edges, catch edges to the ledger-write alert are left out;
//   docs/pipeline-states.md   every state and every edge, catches dotted with their error.
// Usage (from the repository root):
//   node docs/diagrams/asl-to-mermaid.mjs           rewrite both files
//   node docs/diagrams/asl-to-mermaid.mjs --check   exit 1 if either is out of date
import { readFileSync, writeFileSync } from 'node:fs';

const ASL = 'statemachines/deploy-artifact-pipeline.asl.json';
const asl = JSON.parse(readFileSync(ASL, 'utf8'));
const states = asl.States;

const BOOKKEEPING = /^(Record|Emit|Publish|Alert)[A-Z]/;
const shortError = (e) => e.replace(/^.*\./, '');
const clean = (s) => String(s).replace(/["`]/g, "'");

function ruleLabel(rule) {
  if (rule.And) return rule.And.map(ruleLabel).join(' and ');
  if (rule.Or) return rule.Or.map(ruleLabel).join(' or ');
  if (rule.Not) return 'not ' + ruleLabel(rule.Not);
  const field = (rule.Variable || '').split('.').pop();
  const ops = {
    StringEquals: '=', BooleanEquals: '=', NumericEquals: '=',
    NumericGreaterThanEquals: '≥', NumericGreaterThan: '>', NumericLessThan: '<',
    NumericLessThanEquals: '≤', NumericLessThanPath: '<', NumericGreaterThanEqualsPath: '≥',
    IsNull: 'is null', IsPresent: 'is present', StringMatches: 'matches',
  };
  for (const [op, sym] of Object.entries(ops)) {
    if (op in rule) {
      const v = rule[op];
      if (op === 'IsNull' || op === 'IsPresent') return v ? `${field} ${sym}` : `${field} not ${sym.replace('is ', '')}`;
      if (op === 'BooleanEquals') return v ? field : `not ${field}`;
      const value = op.endsWith('Path') ? String(v).split('.').pop() : v;
      return `${field} ${sym} ${value}`;
    }
  }
  return field;
}

/** Every edge of a state: {to, label, kind: 'next'|'choice'|'default'|'catch'}. */
function edges(name) {
  const s = states[name];
  const out = [];
  if (s.Next) out.push({ to: s.Next, label: '', kind: 'next' });
  for (const c of s.Choices || []) out.push({ to: c.Next, label: ruleLabel(c), kind: 'choice' });
  if (s.Default) out.push({ to: s.Default, label: 'otherwise', kind: 'default' });
  for (const c of s.Catch || []) {
    out.push({ to: c.Next, label: c.ErrorEquals.map(shortError).join(', '), kind: 'catch' });
  }
  return out;
}

function node(name) {
  const s = states[name];
  switch (s.Type) {
    case 'Choice': return `${name}{${name}}`;
    case 'Wait': return `${name}([${name}])`;
    case 'Fail': return `${name}[[${name}]]`;
    case 'Pass': return s.End ? `${name}((${name}))` : `${name}>${name}]`;
    default: return `${name}[${name}]`;
  }
}

function styles(names) {
  const fail = names.filter((n) => states[n].Type === 'Fail');
  const ok = names.filter((n) => states[n].Type === 'Pass' && states[n].End);
  const lines = [
    '  classDef fail fill:#fde2e1,stroke:#c0392b;',
    '  classDef ok fill:#e3f6e5,stroke:#2e7d32;',
  ];
  if (fail.length) lines.push(`  class ${fail.join(',')} fail;`);
  if (ok.length) lines.push(`  class ${ok.join(',')} ok;`);
  return lines;
}

function arrow(e) {
  const label = e.label ? `|"${clean(e.label)}"|` : '';
  return e.kind === 'catch' ? ` -.->${label} ` : ` -->${label} `;
}

function full() {
  const names = Object.keys(states);
  const lines = ['flowchart TD', `  Start((start)) --> ${asl.StartAt}`];
  for (const n of names) lines.push('  ' + node(n));
  for (const n of names) for (const e of edges(n)) lines.push(`  ${n}${arrow(e)}${e.to}`);
  return [...lines, ...styles(names)].join('\n');
}

/** A state folded into the edges that reach it: its single successor takes its place. */
function folded(name) {
  const s = states[name];
  if (s.Type === 'Pass' && s.Next) return true;
  return s.Type === 'Task' && BOOKKEEPING.test(name);
}

function through(name, seen = new Set()) {
  if (!folded(name) || seen.has(name)) return name;
  seen.add(name);
  return through(states[name].Next, seen);
}

function glance() {
  const kept = Object.keys(states).filter((n) => !folded(n));
  const lines = ['flowchart TD', `  Start((start)) --> ${through(asl.StartAt)}`];
  for (const n of kept) lines.push('  ' + node(n));
  const drawn = new Set();
  for (const n of kept) {
    for (const e of edges(n)) {
      const to = through(e.to);
      if (e.kind === 'catch' && (to === 'LedgerWriteFailed' || to === through('AlertLedgerWriteFailed'))) continue;
      const key = `${n}>${to}>${e.kind === "catch"}>${e.label}`;
      if (drawn.has(key) || to === n && e.kind === 'next') continue;
      drawn.add(key);
      lines.push(`  ${n}${arrow(e)}${to}`);
    }
  }
  return [...lines, ...styles(kept)].join('\n');
}

const FLOW = `flowchart LR
  CI["CI (OIDC role cdk-ci-artifact-builder)<br/>cdk synth, cairn manifest create + sign,<br/>cairn publish"] -->|"write-once upload,<br/>candidate record + audit entry"| Candidate[("candidate bucket")]
  Candidate -->|"Object Created (manifest key)<br/>EventBridge rule"| Pipeline["DeployArtifactPipeline<br/>one artifact × one environment"]
  Pipeline -->|"change sets"| Env["stage, then prod account<br/>(CloudFormation, CodeBuild tests, alarms)"]
  Pipeline -->|"promote: copy + re-verify"| Release[("release bucket")]
  Release -->|"Object Created<br/>EventBridge rule"| Pipeline
  Pipeline --> Ledger[("DynamoDB ledger<br/>+ hash-chained audit log")]
  Sweeper["sweeper (2 min), finalizer,<br/>audit anchorer, override"] --> Ledger`;

const BEGIN = (what) => `<!-- ${what}: generated by docs/diagrams/asl-to-mermaid.mjs from ${ASL}; do not edit -->`;
const END = (what) => `<!-- end of ${what} -->`;

function block(what, mermaid) {
  return `${BEGIN(what)}\n\`\`\`mermaid\n${mermaid}\n\`\`\`\n${END(what)}`;
}

function replaceBetween(text, what, mermaid, file) {
  const b = text.indexOf(BEGIN(what));
  const e = text.indexOf(END(what));
  if (b < 0 || e < 0) throw new Error(`${file}: markers for "${what}" not found`);
  return text.slice(0, b) + block(what, mermaid) + text.slice(e + END(what).length);
}

const targets = {
  'README.md': [['flow', FLOW], ['pipeline at a glance', glance()]],
  'docs/pipeline-states.md': [['pipeline states', full()]],
};

const check = process.argv.includes('--check');
let stale = [];
for (const [file, diagrams] of Object.entries(targets)) {
  const before = readFileSync(file, 'utf8');
  let after = before;
  for (const [what, mermaid] of diagrams) after = replaceBetween(after, what, mermaid, file);
  if (after !== before) {
    if (check) stale.push(file);
    else writeFileSync(file, after);
  }
}
if (stale.length) {
  console.error(`out of date: ${stale.join(', ')}; run node docs/diagrams/asl-to-mermaid.mjs`);
  process.exit(1);
}
