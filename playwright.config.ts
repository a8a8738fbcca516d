import { defineConfig, devices } from '@playwright/test';

// Browser tests run against the production build in Debian's chromium (Playwright cannot download
// its own browsers here). PW_PORT and PW_DIST let several runs (e.g. parallel work) use their own
// server and build.
const port = Number(process.env.PW_PORT ?? 4173);
const dist = process.env.PW_DIST ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: process.env.PW_REPORT ?? 'test-reports/e2e.json' }]],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `./node_modules/.bin/vite preview --host 127.0.0.1 --port ${port} --strictPort --outDir ${dist}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
  },
});
