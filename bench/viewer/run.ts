// Viewer benchmark: <vr-tour> against Pannellum and Photo Sphere Viewer (+three), side by side:
// bytes (min+gzip -9) of the initial chunk and of everything a tour loads, and in headless
// Chromium (SwiftShader WebGL) on loopback, cold, median of N runs: navigation start -> first
// panorama pixels (any picture of it) and -> sharp, scene switch -> next scene sharp (all read off
// compositor screenshots, checked against the demo renderer's colours), and requestAnimationFrame
// calls in 1 s idle.
//
//   npm run build -w @vr-tour/viewer && npm run bench:viewer -w @vr-tour/bench [-- --runs 3]
//   node --import tsx bench/viewer/run.ts [--runs 7] [--only vr-tour,pannellum,psv,vr-tour-no-preload]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_GENERATOR_HASH, generateDemoAssets } from '@vr-tour/demo';
import { anchorVersions, prepareCode, probeScript } from './bundles.js';
import { chromiumVersion, measureRun, type RunResult } from './measure.js';
import { benchPages, VARIANTS } from './pages.js';
import { printReport } from './report.js';
import { discriminatingSamples, panoramaSamples } from './samples.js';
import { startServer } from './server.js';
import { benchScenes, NEXT, START, VIEW_YAW, VIEWPORT } from './tour.js';

const log = (line: string) => process.stderr.write(`${line}\n`);
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error(`--runs must be an integer from 1 to 50, got ${values.runs}`);
const variants = values.only ? VARIANTS.filter((variant) => values.only!.split(',').includes(variant.id)) : VARIANTS;
if (!variants.length) throw new Error(`--only names none of ${VARIANTS.map((variant) => variant.id).join(', ')}`);

// The demo's own generator, cached across runs in the temp folder (it skips work when the files are current).
const assetsDir = path.join(tmpdir(), `vr-tour-bench-viewer-assets-${DEMO_GENERATOR_HASH}`);
log(`panoramas: generating or reusing the demo rooms in ${assetsDir}`);
const assets = await generateDemoAssets(assetsDir);
const scenes = benchScenes(assets, (file) => `/media/${file}`);
const sceneView = (key: string) => {
  const scene = scenes.find((candidate) => candidate.key === key)!;
  return { room: scene.room, inlinePreview: scene.inlinePreview, yaw: VIEW_YAW };
};
const pixelSamples = await panoramaSamples(sceneView(START), VIEWPORT);
const firstSamples = await discriminatingSamples(sceneView(START), null, VIEWPORT);
const nextSamples = await discriminatingSamples(sceneView(NEXT), sceneView(START), VIEWPORT);
log(`sample points: ${pixelSamples.length} for any picture of ${START}, ${firstSamples.length} for ${START} sharp, ${nextSamples.length} for ${NEXT} sharp`);

const workDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-bench-viewer-'));
try {
  const code = await prepareCode(workDir);
  const site = await startServer({
    pages: benchPages(scenes),
    mounts: { '/vr-tour/': code.vrTour, '/pannellum/': code.pannellum, '/psv/': code.psv, '/media/': assetsDir },
  });
  try {
    const plan = { origin: site.origin, probe: await probeScript(), pixels: pixelSamples, first: firstSamples, next: nextSamples, nextScene: NEXT };
    const browser = await chromiumVersion();
    log(`Chromium ${browser}; ${runs} cold run(s) each of ${variants.map((variant) => variant.id).join(', ')} on ${site.origin}`);
    const results: RunResult[] = [];
    for (let run = 0; run < runs; run += 1) {
      // Rotate the order, so no viewer always runs first (or right after another's heavy run).
      for (let index = 0; index < variants.length; index += 1) {
        const variant = variants[(run + index) % variants.length]!;
        const result = await measureRun(variant, plan);
        results.push(result);
        log(
          `run ${run + 1}/${runs} ${variant.id.padEnd(18)} pixels ${result.pixelsMs?.toFixed(0) ?? '-'} ms, ` +
            `sharp ${result.firstMs?.toFixed(0) ?? '-'} ms (cpu ${result.firstCpuMs?.toFixed(0) ?? '-'}), ` +
            `switch ${result.switchMs?.toFixed(0) ?? '-'} ms (cpu ${result.switchCpuMs?.toFixed(0) ?? '-'}), ` +
            `idle rAF ${result.idleFrames ?? '-'}, screenshots ${result.screenshots.join(' ') || '-'}${result.problems.length ? `; ${result.problems.join('; ')}` : ''}`,
        );
      }
    }
    printReport({ variants, results, runs, browser, scenes, versions: anchorVersions(), fileFor: site.fileFor });
  } finally {
    await site.close();
  }
} finally {
  await rm(workDir, { recursive: true, force: true });
}
