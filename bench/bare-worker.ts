import { neon, neonConfig } from '@neondatabase/serverless';

// The benchmark's yardstick (bench/side-by-side.ts): a bare Worker under its own `wrangler dev`.
// GET /query runs one statement (BARE_QUERY with the JSON array BARE_PARAMS: the API's own
// preferences read, captured at the local endpoint) with the API's Neon client against the same
// local endpoint and answers its rows; any other path is the bare no-op Worker.

interface BareEnv {
  DATABASE_URL: string;
  LOCAL_DB_ENDPOINT: string;
  BARE_QUERY: string;
  BARE_PARAMS: string;
}

export default {
  async fetch(request, env) {
    if (!request.url.endsWith('/query')) return new Response('{"ok":true}', { headers: { 'content-type': 'application/json' } });
    neonConfig.fetchEndpoint = env.LOCAL_DB_ENDPOINT;
    const rows = await neon(env.DATABASE_URL).query(env.BARE_QUERY, JSON.parse(env.BARE_PARAMS) as unknown[]);
    return Response.json(rows);
  },
} satisfies ExportedHandler<BareEnv>;
