import { statSync } from 'node:fs';
import { gzipBytes } from './bundles.js';
import type { RunResult } from './measure.js';
import type { Variant, ViewerName } from './pages.js';
import { PANORAMA_WIDTH, VIEWPORT, type BenchScene } from './tour.js';

/** Turns the runs into the printed table: medians, bytes, and vr-tour's ratios to each anchor. */

export interface ReportInput {
  variants: readonly Variant[];
  results: RunResult[];
  runs: number;
  browser: string;
  scenes: BenchScene[];
  versions: Record<string, string>;
  fileFor(urlPath: string): string | null;
}

/** Pannellum's initial chunk in ANCHORS.md (kB = 1000 B). */
const PANNELLUM_ANCHOR_BYTES = 20_500;
const ANCHORS: ViewerName[] = ['pannellum', 'psv'];

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const kB = (bytes: number | null) => (bytes === null ? '-' : (bytes / 1000).toFixed(1));
const ms = (value: number | null) => (value === null ? '-' : value.toFixed(0));
const ratio = (ours: number | null, theirs: number | null) =>
  ours === null || theirs === null || theirs === 0 ? '-' : `${(ours / theirs).toFixed(2)}x`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function printReport(input: ReportInput): void {
  const { variants, results, fileFor } = input;
  const byVariant = (id: string) => results.filter((result) => result.variant === id);
  const main = (['vr-tour', 'pannellum', 'psv'] as const).map((id) => variants.find((variant) => variant.id === id) ?? null);
  const gzipOf = (urlPaths: string[]) =>
    urlPaths.reduce((sum, urlPath) => {
      const file = fileFor(urlPath);
      if (!file) throw new Error(`no file behind ${urlPath}`);
      return sum + gzipBytes(file);
    }, 0);
  const loadedOnce = (variant: Variant) => byVariant(variant.id).find((result) => result.loadedCode.length)?.loadedCode ?? null;
  const stat = (variant: Variant | null, pick: (result: RunResult) => number | null) =>
    variant ? median(byVariant(variant.id).map(pick).filter((value): value is number => value !== null)) : null;

  const initial = main.map((variant) => (variant ? gzipOf(variant.initialCode) : null));
  const total = main.map((variant) => {
    const loaded = variant && loadedOnce(variant);
    return loaded ? gzipOf(loaded) : null;
  });
  const pixels = main.map((variant) => stat(variant, (result) => result.pixelsMs));
  const first = main.map((variant) => stat(variant, (result) => result.firstMs));
  const firstCpu = main.map((variant) => stat(variant, (result) => result.firstCpuMs));
  const switched = main.map((variant) => stat(variant, (result) => result.switchMs));
  const switchedCpu = main.map((variant) => stat(variant, (result) => result.switchCpuMs));
  const idle = main.map((variant) => stat(variant, (result) => result.idleFrames));

  const row = (label: string, values: (number | null)[], format: (value: number | null) => string, withRatios = true) => [
    label,
    ...values.map(format),
    ...(withRatios ? [ratio(values[0]!, values[1]!), ratio(values[0]!, values[2]!)] : ['', '']),
  ];
  const media = input.scenes.map((scene) => `${scene.key} ${kB(statSync(fileFor(scene.panorama)!).size)} kB`).join(', ');
  const out: string[] = [];
  out.push('');
  out.push(`vr-tour viewer vs Pannellum ${input.versions.pannellum} and Photo Sphere Viewer ${input.versions.psv} (+ three ${input.versions.three})`);
  out.push(
    `Chromium ${input.browser} headless, SwiftShader WebGL, ${VIEWPORT.width}x${VIEWPORT.height}, level view at ${VIEWPORT.hfov}° horizontal fov, ` +
      `${PANORAMA_WIDTH}x${PANORAMA_WIDTH / 2} JPEG panoramas (${media}), loopback, cold browser per run, median of ${input.runs}`,
  );
  out.push('');
  out.push(
    table(
      ['metric', 'vr-tour', 'Pannellum', 'PSV+three', 'vr/Pannellum', 'vr/PSV'],
      [
        row('initial chunk, kB min+gzip -9', initial, kB),
        row('everything loaded for the tour, kB', total, kB),
        row('navigation -> first panorama pixels, ms', pixels, ms),
        row('navigation -> first sharp pixels, ms', first, ms),
        row('  the same, Chromium CPU ms', firstCpu, ms),
        row('scene switch -> next scene sharp, ms', switched, ms),
        row('  the same, Chromium CPU ms', switchedCpu, ms),
        row('requestAnimationFrame calls, 1 s idle', idle, (value) => (value === null ? '-' : String(value)), false),
      ],
    ),
  );
  out.push('');
  out.push('ratios are vr-tour / anchor: below 1.00x vr-tour is smaller or faster. CPU ms: all Chromium processes, summed.');
  const shot = median(results.map((result) => result.screenshotMs).filter((value): value is number => value !== null));
  out.push(`times end at the first screenshot showing the pixels; one screenshot of the idle page took ${ms(shot)} ms (median), a floor under every time.`);

  out.push('first panorama pixels: any picture of the scene, its blurry preview too (vr-tour shows its inline preview at once; the anchors show none).');
  const noPreload = variants.find((variant) => variant.id === 'vr-tour-no-preload');
  if (noPreload) {
    const noFirst = stat(noPreload, (result) => result.firstMs);
    const noSwitch = stat(noPreload, (result) => result.switchMs);
    const noSwitchCpu = stat(noPreload, (result) => result.switchCpuMs);
    out.push(
      `${noPreload.label}: first sharp ${ms(noFirst)} ms, switch ${ms(noSwitch)} ms, ${ms(noSwitchCpu)} CPU ms ` +
        `(switch vs Pannellum ${ratio(noSwitch, switched[1]!)}, vs PSV ${ratio(noSwitch, switched[2]!)}; ` +
        `CPU ${ratio(noSwitchCpu, switchedCpu[1]!)}, ${ratio(noSwitchCpu, switchedCpu[2]!)}); the anchors do not preload by default.`,
    );
  }

  out.push('');
  out.push('targets:');
  const check = (label: string, holds: boolean | null) => out.push(`  ${holds === null ? 'n/a ' : holds ? 'MET ' : 'MISS'}  ${label}`);
  const both = (values: (number | null)[]) =>
    values[0] === null || ANCHORS.some((_, index) => values[index + 1] === null) ? null : values[0]! < Math.min(values[1]!, values[2]!);
  check(`initial chunk < Pannellum's ${kB(PANNELLUM_ANCHOR_BYTES)} kB (ANCHORS.md): ${kB(initial[0]!)} kB`, initial[0] === null ? null : initial[0]! < PANNELLUM_ANCHOR_BYTES);
  check(`total for a tour < PSV's (measured here): ${kB(total[0]!)} vs ${kB(total[2]!)} kB`, total[0] === null || total[2] === null ? null : total[0]! < total[2]!);
  check('first panorama pixels faster than both anchors', both(pixels));
  check('first sharp pixels faster than both anchors', both(first));
  check('scene switch faster than both anchors', both(switched));

  out.push('');
  out.push('per run: pixels/sharp/switch ms, first/switch CPU ms, idle rAF, sample points matched on the screenshots (pixels, sharp, switch)');
  for (const variant of variants) {
    out.push(`  ${variant.id}`);
    for (const result of byVariant(variant.id)) {
      out.push(
        `  ${''.padEnd(18)} ${ms(result.pixelsMs)}/${ms(result.firstMs)}/${ms(result.switchMs)} ms, cpu ${ms(result.firstCpuMs)}/${ms(result.switchCpuMs)}, ` +
          `rAF ${result.idleFrames ?? '-'}, ${result.screenshots.join(' ') || '-'}`,
      );
    }
    const loaded = loadedOnce(variant);
    if (loaded) out.push(`  ${''.padEnd(18)} code loaded: ${loaded.map((urlPath) => `${urlPath} ${kB(gzipOf([urlPath]))}`).join(', ')}`);
    const problems = [...new Set(byVariant(variant.id).flatMap((result) => result.problems))];
    for (const problem of problems) out.push(`  ${''.padEnd(18)} problem: ${problem}`);
  }
  console.log(out.join('\n'));
}
