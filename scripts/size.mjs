#!/usr/bin/env node
// npm run size: what the script-tag bundle costs a page, gzipped (-9), against its budgets.
//   first load: what a page fetches of ours by its load event (the entry and its static imports;
//               the classic-script loader too when the page uses dist/prepatu.iife.js)
//   complete:   everything a whole voice call fetches (the panel, the elements, the protocol,
//               audio and transport chunks, the socket worker, the audio worklets)
// Prints every file with its SRI hash; --manifest writes dist/prepatu-manifest.json. Exits 1
// over budget.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

/** KiB, gzip -9. A budget raised by an issue says why here. */
export const BUDGETS = {
  firstLoad: 10,
  complete: 30,
};

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** The files of each load, from Vite's chunk manifest. */
export function loads(dir = 'dist') {
  const manifest = JSON.parse(readFileSync(`${dir}/prepatu-chunks.json`, 'utf8'));
  const closure = (keys, follow) => {
    const out = new Set();
    const visit = (k) => {
      const c = manifest[k];
      if (!c || out.has(c.file)) return;
      out.add(c.file);
      for (const i of c.imports ?? []) visit(i);
      if (follow) for (const i of c.dynamicImports ?? []) visit(i);
    };
    keys.forEach(visit);
    return out;
  };
  const entry = Object.keys(manifest).find((k) => manifest[k].name === 'prepatu' && manifest[k].isEntry);
  const worker = Object.keys(manifest).find((k) => manifest[k].name === 'prepatu-socket-worker' && manifest[k].isEntry);
  const firstLoad = [...closure([entry], false)];
  const complete = [...new Set([...closure([entry], true), ...closure([worker], true), 'prepatu-audio-worklets.js'])];
  return { firstLoad, firstLoadIife: ['prepatu.iife.js', ...firstLoad], complete };
}

export function printSizes({ writeManifest = false, dir = 'dist' } = {}) {
  const { firstLoad, firstLoadIife, complete } = loads(dir);
  const files = [...new Set([...complete, 'prepatu.iife.js', 'prepatu-worklets.js'])];
  const info = Object.fromEntries(
    files.map((f) => {
      const buf = readFileSync(`${dir}/${f}`);
      return [f, { bytes: buf.length, gzip: gz(buf), integrity: `sha384-${createHash('sha384').update(buf).digest('base64')}` }];
    }),
  );
  console.log('\nScript-tag bundle, gzip -9:');
  for (const f of files) console.log(`  ${f.padEnd(44)} ${kib(info[f].bytes).padStart(10)}  gzip ${kib(info[f].gzip).padStart(9)}  ${info[f].integrity}`);
  const sum = (list) => list.reduce((t, f) => t + info[f].gzip, 0);
  const totals = { firstLoad: sum(firstLoad), firstLoadIife: sum(firstLoadIife), complete: sum(complete) };
  const over = [];
  const line = (label, n, budget) => {
    const ok = n <= budget * 1024;
    if (!ok) over.push(label);
    console.log(`  ${label.padEnd(44)} ${kib(n).padStart(10)}  budget ${budget} KiB ${ok ? 'ok' : 'OVER'}`);
  };
  console.log('');
  line('first load (module script)', totals.firstLoad, BUDGETS.firstLoad);
  line('first load (classic script: loader + module)', totals.firstLoadIife, BUDGETS.firstLoad);
  line('complete (a whole call)', totals.complete, BUDGETS.complete);
  console.log('  (dist/prepatu-worklets.js, the all-in-one file npm users may host, is not part of these loads)');
  if (writeManifest)
    writeFileSync(`${dir}/prepatu-manifest.json`, `${JSON.stringify({ files: info, loads: { firstLoad, firstLoadIife, complete }, totals, budgetsKiB: BUDGETS }, null, 2)}\n`);
  return { totals, over };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { over } = printSizes();
  if (over.length) {
    console.error(`\nOver budget: ${over.join(', ')}`);
    process.exit(1);
  }
}
