// npm run docs:build: the static API reference, opened from disk in headless Chromium.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`docs-build.test.ts: the browser test is skipped, no Chromium at ${chromiumPath} (Debian: apt-get install chromium; or set CHROMIUM_PATH).`);

const out = mkdtempSync(join(tmpdir(), 'docs-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

type OpenApiDocument = { info: { title: string; version: string }; paths: Record<string, Record<string, { operationId: string; summary?: string; tags?: string[] }>> };

describe('npm run docs:build', () => {
  let document: OpenApiDocument;

  beforeAll(() => {
    const build = spawnSync(join(root, 'node_modules/.bin/tsx'), ['scripts/docs-build.ts', '--out', out], { cwd: root, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    document = JSON.parse(readFileSync(join(out, 'openapi.json'), 'utf8'));
  }, 60_000);

  it('writes the document as JSON and YAML, with package.json’s version, next to the page and its assets', () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    expect(document.info.version).toBe(version);
    expect(document.paths['/api/auth/refresh']?.post?.operationId).toBe('refreshTokens');
    expect(parse(readFileSync(join(out, 'openapi.yaml'), 'utf8'))).toEqual(document);
    for (const file of ['index.html', 'assets/swagger-ui-bundle.js', 'assets/swagger-ui.css', 'assets/init.js', 'assets/LICENSE']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    const references = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(references).toContain('assets/swagger-ui-bundle.js');
    expect(references.filter((url) => /^([a-z]+:)?\/\//i.test(url!))).toEqual([]);
  });

  it('is published to GitHub Pages on a version tag by .github/workflows/docs.yml, through the project’s npm scripts', () => {
    const workflow = parse(readFileSync(join(root, '.github/workflows/docs.yml'), 'utf8'));
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    expect(workflow.on.push.tags).toEqual(['v*']);
    const steps = Object.values(workflow.jobs as Record<string, { steps: { run?: string; uses?: string; with?: { path?: string } }[] }>).flatMap((job) => job.steps);
    const runs = steps.flatMap((step) => (step.run ? [step.run] : []));
    for (const run of runs) {
      const match = /^npm (?:ci(?: |$)|run ([\w:-]+)$)/.exec(run);
      expect(match, run).not.toBeNull();
      if (match?.[1]) expect(Object.keys(scripts)).toContain(match[1]);
    }
    expect(runs).toContain('npm run docs:build');
    expect(steps.find((step) => step.uses?.startsWith('actions/upload-pages-artifact'))?.with?.path).toBe('dist/docs');
    expect(steps.some((step) => step.uses?.startsWith('actions/deploy-pages'))).toBe(true);
  });

  it.skipIf(!hasChromium)('renders offline in Chromium, from disk and from a static host, finding a known operation and requesting nothing elsewhere', async () => {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const host = createServer((request, response) => {
      const file = join(out, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
      if (!file.startsWith(out) || !existsSync(file) || statSync(file).isDirectory()) return void response.writeHead(404).end();
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png' }[extname(file)];
      response.writeHead(200, type ? { 'Content-Type': type } : {}).end(readFileSync(file));
    });
    await new Promise<void>((done) => host.listen(0, '127.0.0.1', done));
    const served = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    try {
      for (const [page, local] of [
        [pathToFileURL(join(out, 'index.html')).href, /^(file|data|blob):/],
        [`${served}/index.html`, new RegExp(`^(${served}/|data:|blob:)`)],
      ] as const) {
        await checkPage(browser, page, local);
      }
    } finally {
      await browser.close();
      host.close();
    }
  });

  /** Opens the reference and checks what a reader sees, and that every request stayed local. */
  async function checkPage(browser: Browser, url: string, local: RegExp) {
    const context = await browser.newContext();
    const requested: string[] = [];
    const problems: string[] = [];
    context.on('request', (request) => requested.push(request.url()));
    const page = await context.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    await page.goto(url);
    await expect(page.title()).resolves.toBe(`${document.info.title} ${document.info.version} — API reference`);
    const refresh = page.locator('#operations-Auth-refreshTokens');
    await refresh.waitFor();
    await expect(refresh.locator('.opblock-summary-path').getAttribute('data-path')).resolves.toBe('/api/auth/refresh');
    await expect(refresh.locator('.opblock-summary-description').textContent()).resolves.toBe(document.paths['/api/auth/refresh']!.post!.summary);
    await expect(page.locator('.info .title').textContent()).resolves.toContain(document.info.title);

    // Every operation is listed; a static reference has no "Try it out".
    const listed = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
    const rendered = await page
      .locator('.opblock')
      .evaluateAll((blocks) =>
        blocks.map((b) => `${b.querySelector('.opblock-summary-method')?.textContent} ${b.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`),
      );
    expect(new Set(rendered)).toEqual(new Set(listed));

    // Opened, the operation shows its schemas: the $refs resolved (Swagger UI lists failures in .errors-wrapper).
    await refresh.locator('.opblock-summary').click();
    await refresh.locator('.responses-wrapper').getByText('accessToken').first().waitFor();
    await expect(refresh.locator('.try-out__btn').count()).resolves.toBe(0);
    await expect(page.locator('.errors-wrapper').count()).resolves.toBe(0);

    // The download links point at the files next to the page.
    const links = await page.locator('nav.downloads a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href') ?? ''));
    expect(links).toEqual(['openapi.json', 'openapi.yaml']);

    expect(requested.filter((request) => !local.test(request))).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }
});
