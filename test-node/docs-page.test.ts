import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { unstable_startWorker } from 'wrangler';
import { testBindings } from '../test/bindings';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) {
  console.warn(
    `docs-page.test.ts skipped: no Chromium at ${chromiumPath} (Debian: apt-get install chromium; or set CHROMIUM_PATH).`,
  );
}

const localHosts = new Set(['127.0.0.1', 'localhost']);
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Worker = Awaited<ReturnType<typeof unstable_startWorker>>;
type OpenApiDocument = { info: { title: string }; paths: Record<string, Record<string, unknown>> };

/** The operations of the document, as Swagger UI labels them: `METHOD /path`. */
function operationsOf(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    methods.filter((method) => method in item).map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe.skipIf(!hasChromium)('GET /api/docs in headless Chromium', () => {
  let worker: Worker;
  let browser: Browser;
  let baseUrl: URL;

  beforeAll(async () => {
    const plain = (value: string) => ({ type: 'plain_text' as const, value });
    [worker, browser] = await Promise.all([
      unstable_startWorker({
        config: fileURLToPath(new URL('../wrangler.toml', import.meta.url)),
        sendMetrics: false,
        bindings: {
          ...Object.fromEntries(Object.entries(testBindings).map(([name, value]) => [name, plain(value)])),
          DATABASE_URL: plain(inject('databaseUrl')),
          LOCAL_DB_ENDPOINT: plain(inject('dbEndpoint')),
        },
        dev: {
          server: { hostname: '127.0.0.1', port: 0 },
          inspector: false,
          watch: false,
          persist: false,
          logLevel: 'warn',
        },
      }),
      chromium.launch({
        executablePath: chromiumPath,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      }),
    ]);
    baseUrl = await worker.url;
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  it('renders Swagger UI with every operation, loading nothing from other hosts', async () => {
    const document = (await (await fetch(new URL('/api/openapi.json', baseUrl))).json()) as OpenApiDocument;
    const expected = operationsOf(document);
    expect(expected).toContain('GET /health');

    const context = await browser.newContext();
    const requested: string[] = [];
    const problems: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    const response = await page.goto(new URL('/api/docs', baseUrl).href);
    expect(response?.status()).toBe(200);
    await page.locator('#operations-System-getHealth').waitFor();

    const rendered = await page
      .locator('.opblock')
      .evaluateAll((blocks) =>
        blocks.map((block) =>
          [
            block.querySelector('.opblock-summary-method')?.textContent,
            block.querySelector('.opblock-summary-path')?.getAttribute('data-path'),
          ].join(' '),
        ),
      );
    // An operation with several tags is listed once under each.
    expect(new Set(rendered)).toEqual(new Set(expected));
    await expect(page.locator('.info .title').textContent()).resolves.toContain(document.info.title);

    const external = requested.filter((url) => /^(https?|wss?):/.test(url) && !localHosts.has(new URL(url).hostname));
    expect(external).toEqual([]);
    expect(requested.some((url) => url.endsWith('/api/openapi.json'))).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});
