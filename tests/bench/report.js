'use strict';
// report.js - the table and the JSON of a scripts/bench run.
//
//   node report.js RECORDS MACHINE [JSON]
//
// RECORDS holds one scenario a line, as scripts/bench writes them:
//   {"name": ..., "unit": ..., "better": "higher"|"lower", "params": {...},
//    "field": "deliveries_per_s", "scale": 1,
//    "georoom": RESULT, "peer": RESULT}
// where RESULT is the load generator's JSON object for that side, a string
// saying why it was skipped, or null when the run gave no output.  A
// figure counts only when its run says "verified": true.  The ratio is
// georoom/peer for figures where higher is better and peer/georoom where
// lower is better, so a ratio above 1 always means georoomd did better.
// Prints a Markdown table; writes JSON in the shape of issue 8 when asked.

const fs = require('fs');

const [file, machine, jsonOut] = process.argv.slice(2);
if (!file || !machine) {
  console.error('usage: node report.js RECORDS MACHINE [JSON]');
  process.exit(64);
}

const records = fs.readFileSync(file, 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l));

function pick(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]),
    obj);
}

// The figure of one side: a number, a skip message, or null.
function figure(rec, side) {
  const r = rec[side];
  if (typeof r === 'string')
    return r;
  if (r == null || r.verified !== true)
    return null;
  const v = pick(r, rec.field);
  return typeof v === 'number' ? v * (rec.scale ?? 1) : null;
}

function round(v) {
  if (typeof v !== 'number')
    return v;
  if (Math.abs(v) >= 100)
    return Math.round(v);
  return Math.round(v * 100) / 100;
}

function ratio(rec, g, p) {
  if (typeof g !== 'number' || typeof p !== 'number' || g <= 0 || p <= 0)
    return null;
  return Math.round((rec.better === 'lower' ? p / g : g / p) * 100) / 100;
}

function shown(rec, side, v) {
  if (typeof v === 'number')
    return round(v).toLocaleString('en-US');
  if (typeof v === 'string')
    return v;
  const r = rec[side];
  if (r == null)
    return 'no result';
  return `unverified${r.why ? ` (${r.why})` : ''}`;
}

function cpu(r) {
  if (r == null || typeof r !== 'object' || r.hub_cpu_s === undefined)
    return '';
  return `${r.hub_cpu_s.toFixed(2)} / ${r.loadgen_cpu_s.toFixed(2)}`;
}

const scenarios = [];
const rows = [
  '| Scenario | Unit | georoomd | Node peer | Ratio | CPU s georoomd (hub / load) | CPU s peer (hub / load) |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
];
for (const rec of records) {
  const g = figure(rec, 'georoom');
  const p = figure(rec, 'peer');
  const x = ratio(rec, g, p);
  scenarios.push({
    name: rec.name, params: rec.params, unit: rec.unit, better: rec.better,
    georoom: typeof g === 'number' ? round(g) : g,
    peer: typeof p === 'number' ? round(p) : p,
    ratio: x,
  });
  rows.push(`| ${rec.name} | ${rec.unit} | ${shown(rec, 'georoom', g)} | ` +
    `${shown(rec, 'peer', p)} | ${x === null ? '-' : x.toFixed(2)} | ` +
    `${cpu(rec.georoom)} | ${cpu(rec.peer)} |`);
}
console.log(rows.join('\n'));
if (jsonOut)
  fs.writeFileSync(jsonOut, JSON.stringify({ machine, scenarios }, null, 2) +
    '\n');
