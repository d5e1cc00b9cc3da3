// End-to-end: the central API (embedded PGlite, small demo book) and the browser-mode desk
// host start fresh for each run; the web project drives Debian's Chromium, the electron
// project launches the real app where an Electron binary exists.
import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/debian-chromium';
import { E2E_API_URL, E2E_CUSTOMERS, E2E_WEB_URL } from './support/e2e-env';

const deskDataDir = mkdtempSync(path.join(tmpdir(), 'clm-e2e-desk-'));
const apiPort = new URL(E2E_API_URL).port;
const webPort = new URL(E2E_WEB_URL).port;

export default defineConfig({
  testDir: '.',
  outputDir: '../../test-results/playwright',
  timeout: 90_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  projects: [
    {
      name: 'web',
      testMatch: /\.web\.spec\.ts$/,
      use: {
        baseURL: E2E_WEB_URL,
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: CHROMIUM_ARGS,
        },
      },
    },
    { name: 'electron', testMatch: /\.electron\.spec\.ts$/ },
  ],
  webServer: [
    {
      command: `node --import tsx server/main.ts --demo --port ${apiPort} --customers ${E2E_CUSTOMERS} --data-dir :memory:`,
      cwd: '../..',
      url: `${E2E_API_URL}/health`,
      timeout: 180_000,
      reuseExistingServer: false,
      stdout: 'pipe',
    },
    {
      command: `node --import tsx web-host/main.ts --port ${webPort} --data-dir ${deskDataDir}`,
      cwd: '../..',
      url: E2E_WEB_URL,
      env: { CLM_API_URL: E2E_API_URL },
      timeout: 60_000,
      reuseExistingServer: false,
    },
  ],
});
