import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The SPA is served same-origin by the backend (or nginx) in production; in development Vite
// proxies the API so cookies and the Origin check behave exactly as they do in production.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Monaco and AG Grid are big by nature; they sit in their own lazily loaded chunks.
    chunkSizeWarningLimit: 5000,
  },
  worker: { format: 'es' },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://localhost:8080', changeOrigin: false },
    },
  },
});
