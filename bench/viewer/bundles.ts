import { existsSync, readFileSync, statSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';

/**
 * The code each viewer's page loads, ready to serve: vr-tour's CDN build, Pannellum's
 * npm build, and one tree-shaken, minified ESM bundle of Photo Sphere Viewer
 * with its plugins and three.js, made as a user's bundler would make it.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const viewerCdn = path.resolve(here, '../../packages/viewer/dist/cdn');

export interface CodeFolders {
  vrTour: string;
  pannellum: string;
  psv: string;
}

/** Min+gzip size as the targets count it: gzip level 9 of the minified file. */
export const gzipBytes = (file: string): number => gzipSync(readFileSync(file), { level: 9 }).length;

/**
 * PSV declares three ^0.185 and gets its own copy, while the plugins would
 * resolve the workspace's newer one: point every `three` import at PSV core's
 * copy, so the bundle holds one three.js, as a project with only PSV would.
 */
function psvThree(): Plugin {
  // (The package exports no package.json: its entry file sits at the package root.)
  const coreDir = path.dirname(require.resolve('@photo-sphere-viewer/core'));
  return {
    name: 'psv-three',
    setup(context) {
      context.onResolve({ filter: /^three(\/|$)/ }, (args) =>
        args.pluginData === 'psv-three' ? undefined : context.resolve(args.path, { kind: args.kind, resolveDir: coreDir, pluginData: 'psv-three' }),
      );
    },
  };
}

async function bundlePsv(outdir: string): Promise<void> {
  const result = await build({
    entryPoints: [path.join(here, 'browser/psv-tour.ts')],
    outdir,
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    legalComments: 'none',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [psvThree()],
    metafile: true,
    logLevel: 'warning',
  });
  const threeCopies = new Set(Object.keys(result.metafile.inputs).flatMap((input) => /^(.*node_modules\/three)\//.exec(input)?.[1] ?? []));
  if (threeCopies.size !== 1) throw new Error(`the PSV bundle holds ${threeCopies.size} copies of three.js: ${[...threeCopies].join(', ')}`);
}

/** The in-page probe as one script for Playwright's addInitScript. */
export async function probeScript(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(here, 'browser/probe.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

interface CdnManifest {
  files: Record<string, { bytes: number }>;
}

/** True when `folder` holds every file its manifest lists, at the listed size: one complete build. */
function completeBuild(folder: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')) as CdnManifest;
    return Object.entries(manifest.files).every(([file, { bytes }]) => statSync(path.join(folder, file)).size === bytes);
  } catch {
    return false;
  }
}

/**
 * Copies vr-tour's CDN build, so that a rebuild by someone else during the
 * runs cannot mix chunks; a copy taken in the middle of a rebuild is retried.
 */
async function snapshotViewerBuild(target: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    await rm(target, { recursive: true, force: true });
    if (existsSync(path.join(viewerCdn, 'manifest.json'))) {
      await cp(viewerCdn, target, { recursive: true }).catch(() => {});
      if (completeBuild(target)) return;
    }
    if (Date.now() > deadline) throw new Error(`no complete build in ${viewerCdn}: run \`npm run build -w @vr-tour/viewer\` first`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

/** vr-tour's CDN build copied and PSV bundled into `workDir`; Pannellum is served from node_modules. */
export async function prepareCode(workDir: string): Promise<CodeFolders> {
  const folders: CodeFolders = {
    vrTour: path.join(workDir, 'vr-tour'),
    pannellum: path.join(path.dirname(require.resolve('pannellum/package.json')), 'build'),
    psv: path.join(workDir, 'psv'),
  };
  await snapshotViewerBuild(folders.vrTour);
  await bundlePsv(folders.psv);
  return folders;
}

/** The version in the package.json above a package's resolved entry file (some packages do not export their package.json). */
function versionAbove(entry: string): string {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  }
  throw new Error(`no package.json above ${entry}`);
}

/** Versions of the anchors as installed, and of the three.js in the PSV bundle. */
export function anchorVersions(): Record<'pannellum' | 'psv' | 'three', string> {
  const psvEntry = require.resolve('@photo-sphere-viewer/core');
  return {
    pannellum: versionAbove(require.resolve('pannellum')),
    psv: versionAbove(psvEntry),
    three: versionAbove(require.resolve('three', { paths: [path.dirname(psvEntry)] })),
  };
}
