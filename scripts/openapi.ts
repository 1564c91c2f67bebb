// Writes the OpenAPI document generated from the zod route definitions to openapi/openapi.json
// (the published file). With --check, fails when the committed file differs from the code.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { app } from '../src/app';
import { buildOpenApiDocument } from '../src/openapi';

const version = process.env.npm_package_version ?? JSON.parse(readFileSync('package.json', 'utf8')).version;
const file = 'openapi/openapi.json';
const document = `${JSON.stringify(buildOpenApiDocument(app, version), null, 2)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(file, 'utf8');
  } catch {
    // A missing file is stale too.
  }
  if (committed !== document) {
    console.error(`${file} is stale: run npm run openapi and commit the result.`);
    process.exit(1);
  }
  console.log(`${file} is current`);
} else {
  mkdirSync('openapi', { recursive: true });
  writeFileSync(file, document);
  console.log(`wrote ${file}`);
}
