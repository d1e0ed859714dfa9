#!/usr/bin/env node
// Second opinion for ics_oracle.py: expand each fixture with npm node-ical.
// usage: TZ=Asia/Seoul node node_ical_check.js ICS_DIR OUT_JSON
// (TZ matters: node-ical reads floating times and all-day dates in the process
// time zone; Asia/Seoul is the policy zone assumed by ics-expansion.tsv.)
'use strict';
const fs = require('fs');
const path = require('path');
const ical = require('node-ical');

const [icsDir, outPath] = process.argv.slice(2);
const windows = JSON.parse(fs.readFileSync(path.join(__dirname, 'ics_windows.json'), 'utf8'));
const version = JSON.parse(fs.readFileSync(require.resolve('node-ical/package.json'), 'utf8')).version;
const iso = (d) => new Date(d.getTime()).toISOString().replace(/\.\d{3}Z$/, 'Z');

const files = {};
for (const name of Object.keys(windows).sort()) {
  const [from, to] = windows[name].map((s) => new Date(s));
  const data = ical.sync.parseFile(path.join(icsDir, name));
  const out = [];
  for (const key of Object.keys(data).sort()) {
    const ev = data[key];
    if (!ev || ev.type !== 'VEVENT') continue;
    let instances;
    try {
      instances = ical.expandRecurringEvent(ev, { from, to: new Date(to.getTime() - 1), expandOngoing: true });
    } catch (e) {
      out.push({ uid: ev.uid, start: 'ERROR', end: String(e.message) });
      continue;
    }
    for (const i of instances) out.push({ uid: ev.uid, start: iso(i.start), end: iso(i.end) });
  }
  out.sort((a, b) => (a.start + a.uid < b.start + b.uid ? -1 : 1));
  files[name] = out;
}
fs.writeFileSync(outPath, JSON.stringify({ version, files }, null, 1) + '\n');
