// Prints the min+gzip (level 9) bytes of the CDN build: the entry chunk, and
// everything a page loads to show a tour (entry + the renderer chunk, which
// holds three.js, + the UI chunk + beacon client). DOMPurify (first info popover) and
// web-vitals (sampled page loads) are listed apart. Run `npm run build` first.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dir = new URL('../dist/cdn/', import.meta.url);
const gzip = (path) => gzipSync(readFileSync(new URL(path, dir)), { level: 9 }).length;
const chunks = readdirSync(new URL('chunks/', dir)).filter((name) => name.endsWith('.js'));
const find = (prefix) => chunks.filter((name) => name.startsWith(`${prefix}-`)).map((name) => `chunks/${name}`);
const row = (label, files) => {
  const bytes = files.reduce((sum, file) => sum + gzip(file), 0);
  console.log(`${label.padEnd(44)} ${String(bytes).padStart(8)} B  (${(bytes / 1024).toFixed(1)} KiB)  ${files.join(' ')}`);
  return bytes;
};
const entry = row('entry chunk (vr-tour.js)', ['vr-tour.js']);
row('renderer chunk (with three.js)', find('renderer'));
row('UI chunk (hotspots, cards, controls)', find('ui'));
row('beacon client chunk', find('client'));
row('DOMPurify chunk (first info hotspot)', find('purify'));
row('web-vitals chunk (sampled page loads)', find('vitals'));
const tour = row('TOTAL for a tour: entry+renderer+UI+beacon', ['vr-tour.js', ...find('renderer'), ...find('ui'), ...find('client')]);
console.log(`entry budget 17 KiB (17,408 B): ${entry < 17_408 ? 'OK' : 'OVER'}; tour total vs PSV+three 182.6 KB: ${(tour / 1000).toFixed(1)} KB`);
