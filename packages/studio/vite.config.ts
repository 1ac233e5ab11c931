import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/**
 * Writes `.br` and `.gz` beside every built script and stylesheet, compressed
 * once at the highest levels: the server sends them by Accept-Encoding
 * (packages/server/src/http/static.ts, sendBuilt), so no request pays for compression.
 */
function precompress(): Plugin {
  return {
    name: 'studio-precompress',
    apply: 'build',
    // From the files as written: vite still rewrites chunks after generateBundle.
    writeBundle(options, bundle) {
      for (const fileName of Object.keys(bundle).filter((name) => /\.(js|css)$/.test(name))) {
        const file = path.join(options.dir!, fileName);
        const source = readFileSync(file);
        const quality = { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: source.length } };
        writeFileSync(`${file}.br`, brotliCompressSync(source, quality));
        writeFileSync(`${file}.gz`, gzipSync(source, { level: 9 }));
      }
    },
  };
}

// `npm run dev -w @vr-tour/studio` serves the studio with hot reload and sends
// everything else to a server started with `npm start` (port 8080).
const server = process.env.VR_TOUR_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/studio/',
  plugins: [precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The size test reads the entry and its static imports from here.
    manifest: true,
    target: 'es2022',
  },
  server: {
    proxy: Object.fromEntries(['/api', '/media', '/vr-tour.js', '/chunks'].map((prefix) => [prefix, server])),
  },
});
