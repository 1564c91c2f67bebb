import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { prepareDocsAssets } from './scripts/docs-assets.mjs';
import { testBindings } from './test/bindings.ts';

prepareDocsAssets();

/** The Worker under test, in workerd, bound to the database endpoint the global setup started. */
const workerPool = () =>
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
  }));

export default defineConfig({
  test: {
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        plugins: [workerPool()],
        test: { name: 'worker', include: ['test/**/*.test.ts'], exclude: ['test/global/**'] },
      },
      {
        // Tests that change global state (system settings, database faults) run alone, after the rest.
        extends: true,
        plugins: [workerPool()],
        test: { name: 'worker-global', include: ['test/global/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
      {
        extends: true,
        test: { name: 'node', include: ['test-node/**/*.test.ts'], environment: 'node' },
      },
    ],
  },
});
