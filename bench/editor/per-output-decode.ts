// The baseline of the media benchmark, run as its own process so its peak RSS is its own:
// the same outputs as the server's pipeline (inline preview, 512 px preview, 640x360
// thumbnail, every level in WebP and JPEG with the same encoder settings), made the
// common way with sharp: a fresh `sharp(file)` per output, so the source is decoded
// once per output. vr-tour decodes it once and resizes from the raw pixels.
//
//   node --import tsx bench/editor/per-output-decode.ts FILE   -> {"ms":…,"cpuMs":…,"idleRssMiB":…,"peakRssMiB":…,"bytes":…}
import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from 'sharp';

sharp.cache(false);
const file = process.argv[2]!;
const rssMiB = async (which: 'VmRSS' | 'VmHWM') =>
  Number(new RegExp(`${which}:\\s+(\\d+) kB`).exec(await readFile('/proc/self/status', 'utf8'))![1]) / 1024;
const idleRssMiB = await rssMiB('VmRSS');

const cpuMs = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };
const started = performance.now();
const cpuBefore = cpuMs();
const { width } = await sharp(file).metadata();
const widths = [2048, 4096, 8192].filter((level) => level <= width!);
// One output after another, like the server's single processing queue.
let bytes = 0;
const make = async (build: (image: Sharp) => Sharp) => {
  bytes += (await build(sharp(file)).toBuffer()).length;
};
await make((image) => image.resize(64, 32).jpeg({ quality: 50 }));
await make((image) => image.resize(512, 256).jpeg({ quality: 70, mozjpeg: true }));
await make((image) => image.resize(640, 360, { fit: 'cover' }).jpeg({ quality: 75, mozjpeg: true }));
for (const level of widths) {
  await make((image) => image.resize(level, level / 2).webp({ quality: 80, effort: 2 }));
  await make((image) => image.resize(level, level / 2).jpeg({ quality: 82, progressive: true }));
}
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms: Math.round(ms), cpuMs: Math.round(cpuMs() - cpuBefore), idleRssMiB: Math.round(idleRssMiB), peakRssMiB: Math.round(await rssMiB('VmHWM')), bytes })}\n`);
