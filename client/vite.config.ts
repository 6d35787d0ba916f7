// Vite build for the PWA: root is client/, output client/dist (served by the signaling worker).
import { defineConfig } from 'vite'
import solid from 'vite-plugin-solid'
import { VitePWA } from 'vite-plugin-pwa'
import { fileURLToPath } from 'node:url'

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  plugins: [
    solid(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: 'script',
      manifest: {
        name: 'Conch',
        short_name: 'Conch',
        description: 'End-to-end-encrypted team messenger that works offline',
        theme_color: '#0f5c6e',
        background_color: '#ffffff',
        display: 'standalone',
        icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
      },
      workbox: {
        navigateFallback: 'index.html',
        globPatterns: ['**/*.{js,css,html,svg,webmanifest}'],
        // The first load is controlled at once, so it survives going offline before any reload.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
})
