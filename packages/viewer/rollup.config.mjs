// Two builds of <vr-tour>:
//  - dist/cdn: the one-tag bundle. ESM, minified, every dependency bundled;
//    vr-tour.js (stable name) is the small entry, the renderer (three.js), the UI
//    (controls, labels, cards), DOMPurify and the beacon client load on demand
//    from chunks/[name]-[hash].js.
//  - dist/lib: the npm library, one file per module (so the lazy parts stay
//    lazy in the user's bundler), dependencies external, with .d.ts files.
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import nodeResolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import ts from 'typescript';

const external = [/^lit(\/|$)/, /^@lit\//, /^three(\/|$)/, /^dompurify$/, /^web-vitals(\/|$)/];

/** Writes dist/cdn/manifest.json: the chunks and their min+gzip sizes, and what a tour loads. */
function manifest() {
  return {
    name: 'vr-tour-manifest',
    generateBundle(_options, bundle) {
      const files = {};
      for (const [fileName, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk') continue;
        files[fileName] = {
          bytes: Buffer.byteLength(chunk.code),
          gzip: gzipSync(chunk.code, { level: 9 }).length,
          imports: chunk.imports,
          dynamicImports: chunk.dynamicImports,
          modules: Object.keys(chunk.modules).length,
        };
      }
      this.emitFile({ type: 'asset', fileName: 'manifest.json', source: JSON.stringify({ entry: 'vr-tour.js', files }, null, 2) });
    },
  };
}

/**
 * Writes `<chunk>.br` and `<chunk>.gz` beside every chunk, compressed once at
 * build time at the highest levels, for the server to send by Accept-Encoding.
 */
function precompress() {
  return {
    name: 'vr-tour-precompress',
    generateBundle(_options, bundle) {
      for (const [fileName, chunk] of Object.entries(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const code = Buffer.from(chunk.code);
        const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length } });
        this.emitFile({ type: 'asset', fileName: `${fileName}.br`, source: brotli });
        this.emitFile({ type: 'asset', fileName: `${fileName}.gz`, source: gzipSync(code, { level: 9 }) });
      }
    },
  };
}

/**
 * The few runtime modules the viewer takes from @vr-tour/protocol (its id
 * generator, the beacon limits) are TypeScript sources outside this package:
 * transpile them alone, without type checks (the protocol's own tsc run checks them).
 */
function protocolSources() {
  return {
    name: 'protocol-sources',
    transform(code, id) {
      if (!/[\\/]packages[\\/]protocol[\\/]src[\\/].*\.ts$/.test(id)) return null;
      const { outputText, sourceMapText } = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: true },
      });
      return { code: outputText, map: sourceMapText };
    },
  };
}

function clean(dir) {
  return { name: 'clean', buildStart: () => rmSync(dir, { recursive: true, force: true }) };
}

export default [
  {
    input: 'src/vr-tour.ts',
    output: {
      dir: 'dist/cdn',
      format: 'es',
      entryFileNames: 'vr-tour.js',
      chunkFileNames: 'chunks/[name]-[hash].js',
      sourcemap: false,
      generatedCode: 'es2015',
      manualChunks(id) {
        // The renderer and three.js in one chunk: one request, not one discovered after the other.
        if (id.includes('/node_modules/three/') || /\/src\/renderer\/(renderer|shaders)\.ts$/.test(id)) return 'renderer';
        if (id.includes('/node_modules/dompurify/')) return 'purify';
      },
    },
    plugins: [
      clean('dist/cdn'),
      nodeResolve({ browser: true, exportConditions: ['production'] }),
      protocolSources(),
      typescript({ tsconfig: './tsconfig.build.json', outDir: 'dist/cdn', declaration: false, declarationDir: undefined, sourceMap: false }),
      terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: false } }),
      manifest(),
      precompress(),
    ],
    preserveEntrySignatures: 'allow-extension',
  },
  {
    input: 'src/vr-tour.ts',
    external,
    output: {
      dir: 'dist/lib',
      format: 'es',
      preserveModules: true,
      preserveModulesRoot: 'src',
      sourcemap: true,
      // Modules taken from @vr-tour/protocol sit in protocol/, not under a copy of the monorepo's paths.
      entryFileNames: (chunk) =>
        chunk.facadeModuleId?.includes('/packages/protocol/src/') ? `protocol/${basename(chunk.facadeModuleId, '.ts')}.js` : '[name].js',
    },
    plugins: [
      clean('dist/lib'),
      nodeResolve({ resolveOnly: ['@vr-tour/protocol'] }),
      protocolSources(),
      typescript({ tsconfig: './tsconfig.build.json' }),
    ],
  },
];
