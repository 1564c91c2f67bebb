import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../scripts/wrangler-dev';

export interface BundleFile {
  file: string;
  raw: number;
  gzip: number;
}

export interface BundleSize {
  files: BundleFile[];
  raw: number;
  gzip: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * The deployable Worker, built offline by `wrangler deploy --dry-run --outdir <tmp>` with the real
 * wrangler.toml: the size of its JavaScript and WebAssembly modules, raw and gzip (what Cloudflare's
 * size limit counts). Source maps and static assets are not part of the Worker. `inspect` gets the
 * upload form (`--outfile`, what `wrangler check startup --worker` reads) and the main module's code
 * before the build is deleted.
 */
export function measureBundle(inspect?: (workerBundle: string, mainModule: string) => void): BundleSize {
  const outdir = mkdtempSync(join(tmpdir(), 'aegisx-bundle-'));
  const workerBundle = `${outdir}.bundle`;
  try {
    const result = spawnSync(resolve(repoRoot, 'node_modules/.bin/wrangler'), ['deploy', '--dry-run', '--outdir', outdir, '--outfile', workerBundle], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    });
    if (result.status !== 0) throw new Error(`wrangler deploy --dry-run failed:\n${result.stdout}\n${result.stderr}`);
    const files = filesUnder(outdir)
      .filter((path) => /\.(m?js|wasm)$/.test(path))
      .map((path) => {
        const bytes = readFileSync(path);
        return { file: relative(outdir, path), raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
      })
      .sort((a, b) => b.raw - a.raw);
    if (files.length === 0) throw new Error('wrangler deploy --dry-run wrote no .js or .wasm module');
    inspect?.(workerBundle, readFileSync(join(outdir, 'index.js'), 'utf8'));
    return { files, raw: files.reduce((sum, f) => sum + f.raw, 0), gzip: files.reduce((sum, f) => sum + f.gzip, 0) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
    rmSync(workerBundle, { force: true });
  }
}
