import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// The studio's own JavaScript before its first screen (the entry chunk and
// every chunk it imports statically) stays within 60 KB min+gzip; the tour
// editor and the viewer load only when a tour is opened.
const LIMIT_BYTES = 60_000;

const dist = path.resolve(import.meta.dirname, '../dist');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}

function readManifest(): Record<string, ManifestChunk> {
  try {
    return JSON.parse(readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));
  } catch {
    throw new Error(`${dist} has no build manifest: run \`npm run build\` first (npm test does)`);
  }
}

/** The entry's key and the keys of every chunk it loads before running. */
function firstScreenChunks(manifest: Record<string, ManifestChunk>): string[] {
  const entry = Object.keys(manifest).find((key) => manifest[key]!.isEntry)!;
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]!.imports ?? []) visit(imported);
  };
  visit(entry);
  return [...seen];
}

describe('the studio bundle', () => {
  it(`loads at most ${LIMIT_BYTES} bytes of min+gzip JavaScript before the first screen`, () => {
    const manifest = readManifest();
    const chunks = firstScreenChunks(manifest);
    const sizes = chunks.map((key) => {
      const code = readFileSync(path.join(dist, manifest[key]!.file));
      return { file: manifest[key]!.file, gzip: gzipSync(code, { level: 9 }).length };
    });
    const total = sizes.reduce((sum, size) => sum + size.gzip, 0);
    console.log(`studio first-screen JavaScript: ${total} bytes min+gzip`, sizes);
    expect(total).toBeLessThanOrEqual(LIMIT_BYTES);
  });

  it('keeps the account and custom-domain pages out of the first screen, each in a chunk of its own', () => {
    const manifest = readManifest();
    const first = new Set(firstScreenChunks(manifest));
    const entry = Object.values(manifest).find((chunk) => chunk.isEntry)!;
    for (const page of ['pages/account-page.ts', 'pages/domains-page.ts']) {
      const key = Object.keys(manifest).find((candidate) => candidate.endsWith(page));
      expect(key, page).toBeDefined();
      expect(first.has(key!)).toBe(false);
      expect(entry.dynamicImports).toContain(key);
    }
  });

  it('keeps the tour editor out of the first screen, in a chunk of its own', () => {
    const manifest = readManifest();
    const first = new Set(firstScreenChunks(manifest));
    const editor = Object.keys(manifest).find((key) => key.endsWith('pages/tour-editor.ts'));
    expect(editor).toBeDefined();
    expect(first.has(editor!)).toBe(false);
    const entry = Object.values(manifest).find((chunk) => chunk.isEntry)!;
    expect(entry.dynamicImports).toContain(editor);
    // The viewer is never bundled: the preview loads the server's /vr-tour.js, as an embedding page does.
    for (const chunk of Object.values(manifest)) {
      expect(readFileSync(path.join(dist, chunk.file), 'utf8')).not.toContain('__THREE__');
    }
  });
});
