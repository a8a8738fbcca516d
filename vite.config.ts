/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** The brand red of the icon; the installed app's title bar and splash screen. */
const BRAND_RED = '#b71c1c';

export default defineConfig({
  plugins: [
    react(),
    // The offline app: a generated service worker precaches every file of the build, so after the
    // first visit the app loads and runs with no network. Everything is bundled: no CDN anywhere.
    VitePWA({
      // 'prompt': a new version waits until the user says to reload (src/ui/pwa/UpdatePrompt.tsx
      // registers the worker and shows the prompt), so a running session is never reloaded under the
      // user's feet. skipWaiting stays off for that reason; clientsClaim is on so that the *first*
      // install takes control of the page it was installed from (no worker was waiting there), and an
      // offline reload works right after the first visit.
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Rediscope',
        short_name: 'Rediscope',
        description: 'Learn how Redis really works, with a real Redis 7.0 engine running in your browser.',
        lang: 'en',
        theme_color: BRAND_RED,
        background_color: '#ffffff',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      // Every file of the build (public/ included) matches globPatterns; the plugin adds the manifest
      // itself. Listing icons again (includeAssets, includeManifestIcons) would only duplicate entries.
      includeManifestIcons: false,
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,wasm,ttf,woff,woff2,json}'],
        // Monaco's chunk is several MB; anything over the limit would silently be left out of the
        // precache and break offline use.
        maximumFileSizeToCacheInBytes: 10 * 1024 * 1024,
        clientsClaim: true,
        skipWaiting: false,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
});
