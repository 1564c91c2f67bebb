// Builds the published API reference: a static folder that works offline on any host (GitHub
// Pages, a bucket, a file on disk), with no CDN.
//
//   npm run docs:build [-- --out DIR]      (default dist/docs)
//
//   index.html      Swagger UI (from swagger-ui-dist, as the Worker's /api/docs), read-only (there is
//                   no API behind it); the document is also embedded, for a page opened from disk
//   assets/         Swagger UI's script, styles, icon and licence files
//   openapi.json    the OpenAPI document generated from the routes (as npm run openapi writes it)
//   openapi.yaml    the same document as YAML
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { currentDocument } from './openapi';

const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-bundle.js.LICENSE.txt', 'favicon-32x32.png', 'LICENSE', 'NOTICE'];

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The document as the text of a `<script type="application/json">` (read by init.js, not run): no `<` can close the element. */
const embedded = (document: unknown) => JSON.stringify(document).replace(/</g, '\\u003c');

const INIT = `// Renders the OpenAPI document with Swagger UI. Served over HTTP (any static host), the page loads
// openapi.json from beside it. Opened from disk (file://), a browser refuses that request and Swagger
// UI resolves $refs only in a document with an http(s) address: the page then gives the copy embedded
// in index.html a reserved address (the .invalid domain never resolves) and answers that fetch itself.
(function () {
  var url = new URL('openapi.json', document.baseURI).href;
  if (location.protocol === 'file:') {
    url = 'https://aegisx-docs.invalid/openapi.json';
    var text = document.getElementById('openapi-document').textContent;
    var send = window.fetch.bind(window);
    window.fetch = function (input, init) {
      var requested = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (new URL(requested, document.baseURI).href !== url) return send(input, init);
      return Promise.resolve(new Response(text, { status: 200, headers: { 'Content-Type': 'application/json' } }));
    };
  }
  window.addEventListener('load', function () {
    window.ui = SwaggerUIBundle({
      url: url,
      dom_id: '#swagger-ui',
      deepLinking: true,
      validatorUrl: null,
      supportedSubmitMethods: [],
    });
  });
})();
`;

function page(title: string, version: string, document: unknown) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${title} ${version} — API reference`)}</title>
<link rel="stylesheet" href="assets/swagger-ui.css">
<link rel="icon" type="image/png" href="assets/favicon-32x32.png">
<style>
  .downloads { font-family: sans-serif; font-size: 14px; max-width: 1460px; margin: 0 auto; padding: 16px 20px 0; color: #3b4151; }
  .downloads a { color: #4990e2; }
</style>
</head>
<body>
<nav class="downloads" aria-label="Downloads">OpenAPI document: <a href="openapi.json" download>openapi.json</a> · <a href="openapi.yaml" download>openapi.yaml</a></nav>
<div id="swagger-ui"></div>
<script id="openapi-document" type="application/json">${embedded(document)}</script>
<script src="assets/swagger-ui-bundle.js"></script>
<script src="assets/init.js"></script>
</body>
</html>
`;
}

/** Writes the reference to `out`; returns the files written, relative to it. */
export function buildDocs(out: string): string[] {
  const document = JSON.parse(JSON.stringify(currentDocument())) as { info: { title: string; version: string } };
  mkdirSync(join(out, 'assets'), { recursive: true });
  const source = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  for (const file of ASSETS) copyFileSync(join(source, file), join(out, 'assets', file));
  writeFileSync(join(out, 'assets/init.js'), INIT);
  writeFileSync(join(out, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(join(out, 'openapi.yaml'), stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 }));
  writeFileSync(join(out, 'index.html'), page(document.info.title, document.info.version, document));
  return ['index.html', 'openapi.json', 'openapi.yaml', 'assets/init.js', ...ASSETS.map((f) => `assets/${f}`)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const out = resolve(at > 0 && process.argv[at + 1] ? process.argv[at + 1]! : 'dist/docs');
  const files = buildDocs(out);
  console.log(`wrote ${files.length} files to ${out}: open ${join(out, 'index.html')}`);
}
