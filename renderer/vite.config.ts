// Builds the renderer into dist/renderer. `base: './'` keeps asset URLs relative so the
// same build loads from file:// in Electron and from the loopback web host in browser mode.
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // Offline desk: everything ships in the bundle, nothing is fetched at run time.
    assetsInlineLimit: 0,
  },
});
