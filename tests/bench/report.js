'use strict';
// report.js - the tables and the JSON of a scripts/bench or
// scripts/bench-cluster run.
//
//   node report.js RECORDS MACHINE [JSON]
//
// RECORDS holds one scenario a line, as scripts/bench-lib.sh writes them:
//   {"name": ..., "unit": ..., "better": "higher"|"lower", "params": {...},
//    "field": "deliveries_per_s", "scale": 1,
//    "columns": ["2 georoomd", "2 Node"], "results": [RESULT, ...]}
// where each RESULT is the load generator's JSON object for that column,
// a string saying why it was skipped, or null when the run gave no output.
// Without "columns", the two results are georoomd's and the Node peer's
// (scripts/bench).  A figure counts only when its run says "verified":
// true; a field may also hold a string to show as it is.  With two
// columns, the ratio is first/second for figures where higher is better
// and second/first where lower is better, so a ratio above 1 always means
// the first column did better.  Consecutive records with the same columns
// make one Markdown table.  The JSON, when asked, has the shape of issue 8
// for scripts/bench's records ({"georoom", "peer", "ratio"}) and
// {"columns", "figures", "ratio"} for the others.

const fs = require('fs');

const [file, machine, jsonOut] = process.argv.slice(2);
if (!file || !machine) {
  console.error('usage: node report.js RECORDS MACHINE [JSON]');
  process.exit(64);
}

const PAIR = ['georoomd', 'Node peer'];

const records = fs.readFileSync(file, 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l));

function pick(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]),
    obj);
}

// The figure of one result: a number, a string to show, or null.
function figure(rec, r) {
  if (typeof r === 'string')
    return r;
  if (r == null || r.verified !== true)
    return null;
  const v = pick(r, rec.field);
  if (typeof v === 'string')
    return v;
  return typeof v === 'number' ? v * (rec.scale ?? 1) : null;
}

function round(v) {
  if (typeof v !== 'number')
    return v;
  if (Math.abs(v) >= 100)
    return Math.round(v);
  return Math.round(v * 100) / 100;
}

function ratio(rec, figs) {
  const [a, b] = figs;
  if (figs.length !== 2 || typeof a !== 'number' || typeof b !== 'number' ||
      a <= 0 || b <= 0)
    return null;
  return Math.round((rec.better === 'lower' ? b / a : a / b) * 100) / 100;
}

function shown(r, v) {
  if (typeof v === 'number')
    return round(v).toLocaleString('en-US');
  if (typeof v === 'string')
    return v;
  if (r == null)
    return 'no result';
  return `unverified${r.why ? ` (${r.why})` : ''}`;
}

function cpu(r) {
  if (r == null || typeof r !== 'object' || r.hub_cpu_s === undefined)
    return '';
  return `${r.hub_cpu_s.toFixed(2)} / ${r.loadgen_cpu_s.toFixed(2)}`;
}

function header(cols) {
  const cells = ['Scenario', 'Unit', ...cols];
  const align = ['---', '---', ...cols.map(() => '---:')];
  if (cols.length === 2) {
    cells.push('Ratio');
    align.push('---:');
  }
  for (const c of cols) {
    cells.push(`CPU s ${c} (hub / load)`);
    align.push('---:');
  }
  return [`| ${cells.join(' | ')} |`, `| ${align.join(' | ')} |`];
}

const scenarios = [];
const tables = [];
let rows = null, last = null;
for (const rec of records) {
  const cols = rec.columns ?? PAIR;
  const results = rec.results ?? [];
  const figs = cols.map((_, i) => figure(rec, results[i]));
  const x = ratio(rec, figs);
  const entry = {
    name: rec.name, params: rec.params, unit: rec.unit, better: rec.better,
  };
  if (rec.columns === undefined) {
    entry.georoom = round(figs[0]);
    entry.peer = round(figs[1]);
  } else {
    entry.columns = cols;
    entry.figures = figs.map(round);
  }
  entry.ratio = x;
  scenarios.push(entry);
  if (JSON.stringify(cols) !== last) {
    rows = header(cols);
    tables.push(rows);
    last = JSON.stringify(cols);
  }
  const cells = [rec.name, rec.unit,
    ...cols.map((_, i) => shown(results[i], figs[i]))];
  if (cols.length === 2)
    cells.push(x === null ? '-' : x.toFixed(2));
  cells.push(...cols.map((_, i) => cpu(results[i])));
  rows.push(`| ${cells.join(' | ')} |`);
}
console.log(tables.map((t) => t.join('\n')).join('\n\n'));
if (jsonOut)
  fs.writeFileSync(jsonOut, JSON.stringify({ machine, scenarios }, null, 2) +
    '\n');
