declare global {
  namespace Cloudflare {
    /** The bindings the test configuration (vitest.config.ts) adds to the generated ones. */
    interface Env {
      LOCAL_DB_ENDPOINT: string;
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

export {};
