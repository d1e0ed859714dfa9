#!/usr/bin/env node
// Second opinion for rrule_oracle.py: expand each case with npm rrule-temporal.
// usage: node rrule_check.js CASES_JSON OUT_JSON   (CASES_JSON from rrule_oracle.py --dump-cases)
'use strict';
const fs = require('fs');
const { RRuleTemporal } = require('rrule-temporal');

const [casesPath, outPath] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
const version = JSON.parse(fs.readFileSync(require('path').join(__dirname, 'node_modules', 'rrule-temporal', 'package.json'), 'utf8')).version;
const compact = (s) => s.replace(/[-:]/g, ''); // 2025-01-31T09:00:00 -> 20250131T090000

const results = {};
for (const c of cases) {
  let lines = [`DTSTART;TZID=${c.iana}:${compact(c.dtstart)}`, `RRULE:${c.rrule}`];
  if (c.exdates.length) lines.push(`EXDATE;TZID=${c.iana}:${c.exdates.map(compact).join(',')}`);
  try {
    const r = new RRuleTemporal({ rruleString: lines.join('\n') });
    const from = new Date(c.from);
    const to = new Date(c.to);
    results[c.id] = r.between(from, to, true)
      .map((z) => z.toInstant().toString().replace(/\.\d+Z$/, 'Z'))
      .filter((s) => new Date(s) < to);
  } catch (e) {
    results[c.id] = { error: String(e.message) };
  }
}
fs.writeFileSync(outPath, JSON.stringify({ version, results }, null, 1) + '\n');
