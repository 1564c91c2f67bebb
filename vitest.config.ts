import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { prepareDocsAssets } from './scripts/docs-assets.mjs';

prepareDocsAssets();

/** Worker variables and secrets used by the test suite (test-only values, never used elsewhere). */
const testBindings = {
  APP_ENV: 'test',
  CORS_ORIGINS: 'http://localhost:4200',
  ACTIVITY_FLUSH_SECONDS: '0',
  JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789abcdef',
  ENCRYPTION_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
};

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ...testBindings,
                DATABASE_URL: inject('databaseUrl'),
                LOCAL_DB_ENDPOINT: inject('dbEndpoint'),
                TEST_DB_BASE_URL: inject('dbBaseUrl'),
                TEST_ADMIN_PASSWORD: inject('adminPassword'),
                TEST_DEMO_PASSWORD: inject('demoPassword'),
              },
            },
          })),
        ],
        test: { name: 'worker', include: ['test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'node', include: ['test-node/**/*.test.ts'], environment: 'node' },
      },
    ],
  },
});
