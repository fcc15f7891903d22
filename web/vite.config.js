import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

// The app is served by the C++ server from the same origin (jundeng serve --static web/dist);
// during development Vite forwards /api to a server running on :8080.
//
// Element Plus components are imported where a template uses them, each with its own CSS
// (unplugin-vue-components), and every page is its own chunk, so the login page loads only the
// form it shows and the charts load with the pages that draw them.
export default defineConfig({
  plugins: [
    vue(),
    Components({ dirs: [], dts: false, resolvers: [ElementPlusResolver({ importStyle: 'css' })] }),
  ],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The charts chunk (about 530 kB, 176 kB compressed) loads only with the statistics pages.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      output: {
        // The framework changes least: one chunk that stays cached across releases.
        manualChunks(id) {
          if (/node_modules\/(@vue|vue|vue-router|vue-i18n|@intlify|pinia)\//.test(id)) return 'vue';
          // The charts, for the pages that draw them.
          if (/node_modules\/(echarts|zrender)\//.test(id)) return 'echarts';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' },
  },
});
