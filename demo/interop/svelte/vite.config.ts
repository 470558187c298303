import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [svelte({ configFile: `${import.meta.dirname}/svelte.config.js` })],
  build: { outDir: 'dist', emptyOutDir: true },
});
