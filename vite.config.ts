import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { minifyTemplates } from './scripts/minify-templates.mjs';

// The script-tag bundle (dist/prepatu.js and its chunks), driven by scripts/build.mjs: ES modules
// split by use, so a page loads the launcher first and the rest when the visitor shows interest.
export default defineConfig({
  build: {
    outDir: 'dist',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
    emptyOutDir: false,
    manifest: 'prepatu-chunks.json',
    lib: {
      entry: {
        prepatu: 'src/prepatu.ts',
        // The socket worker, an ES module sharing the protocol's chunk with the page.
        'prepatu-socket-worker': 'src/transport/worker/index.ts',
      },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
    rollupOptions: {
      // The launcher's modules go into the entry itself, which the lazy chunks then import from:
      // the page's first load is one file, not a chain of three requests.
      preserveEntrySignatures: 'allow-extension',
      output: { chunkFileNames: 'prepatu-[name]-[hash].js' },
    },
  },
  plugins: [minifyTemplates()],
  define: {
    // Lit's production build: no dev-mode warnings in the bundles.
    'process.env.NODE_ENV': '"production"',
  },
  resolve: {
    conditions: ['production', 'module', 'browser', 'default'],
    // The off-thread code comes from files beside the bundle, not inlined (see src/offthread/files.ts).
    alias: [{ find: /^(.*)\/offthread\/module\.js$/, replacement: fileURLToPath(new URL('./src/offthread/files.ts', import.meta.url)) }],
  },
});
