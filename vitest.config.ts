// Vitest runs the client's unit tests (tests/client) under Node.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['tests/client/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['scripts/lib/node-polyfills.mjs'],
  },
})
