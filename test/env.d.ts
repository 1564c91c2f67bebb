import type { Env as WorkerEnv } from '../src/env';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      /** Base URL of the local database endpoint (counters and fault injection). */
      TEST_DB_BASE_URL: string;
      TEST_ADMIN_PASSWORD: string;
      TEST_DEMO_PASSWORD: string;
    }
    interface GlobalProps {
      mainModule: typeof import('../src/index');
    }
  }
}
