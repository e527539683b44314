import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const workspace = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

// Built into dist/console, which the all-in-one platform and the gateway serve at `/` (service-runtime's
// console-files.ts). The identity-number rules are the domain kernel's own, not a copy.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  cacheDir: workspace('node_modules/.vite/console'),
  plugins: [react()],
  resolve: { alias: { '@skills/domain-kernel': workspace('libs/domain-kernel/src/index.ts') } },
  build: { outDir: workspace('dist/console'), emptyOutDir: true, chunkSizeWarningLimit: 1500, reportCompressedSize: false },
  server: { proxy: { '/api': 'http://localhost:3000', '/oauth': 'http://localhost:3000', '/.well-known': 'http://localhost:3000', '/evaluators': 'http://localhost:3000' } },
});
