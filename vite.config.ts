import { defineConfig } from 'vite';
import { minifyTemplates } from './scripts/minify-templates.mjs';

// Library builds are driven by scripts/build.mjs (one ES and one IIFE bundle);
// this file holds what both share.
export default defineConfig({
  build: {
    outDir: 'dist',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    reportCompressedSize: false,
  },
  plugins: [minifyTemplates()],
  define: {
    // Lit's production build: no dev-mode warnings in the bundles.
    'process.env.NODE_ENV': '"production"',
  },
  resolve: {
    conditions: ['production', 'module', 'browser', 'default'],
  },
});
