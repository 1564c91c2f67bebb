// Copies the Swagger UI files the docs page needs from swagger-ui-dist into the Worker's
// static assets, so GET /api/docs works offline (no CDN at run time).
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const files = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'];

export function prepareDocsAssets() {
  const require = createRequire(import.meta.url);
  const source = dirname(require.resolve('swagger-ui-dist/package.json'));
  const target = fileURLToPath(new URL('../public/api/docs/assets/', import.meta.url));
  mkdirSync(target, { recursive: true });
  for (const file of files) copyFileSync(join(source, file), join(target, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) prepareDocsAssets();
