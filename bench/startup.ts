import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../scripts/wrangler-dev';

export interface StartupReport {
  /** CPU time of the Worker's start-up (its global scope, every module it evaluates), per run, in ms. */
  runsMs: number[];
  medianMs: number;
  minMs: number;
  /** The packages (and the Worker's own sources) that took the most start-up CPU in the fastest run, in ms. */
  top: { source: string; ms: number }[];
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Where each line of the bundle comes from: esbuild starts every input file with a `// path` comment.
 * Packages are named by their package name, the Worker's code by `src`, `drizzle`.
 */
function sourcesOfLines(bundle: string): string[] {
  const sources: string[] = [];
  let current = '(wrangler)';
  for (const line of bundle.split('\n')) {
    const file = line.match(/^\/\/ ((?:node_modules|src|drizzle)\/\S+)$/)?.[1];
    if (file) current = file.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+).*$/, '$1').replace(/^(src|drizzle)\/.*$/, '$1 (the Worker)');
    sources.push(current);
  }
  return sources;
}

/**
 * Start-up CPU of one profile: the time of every sample that was not idle (V8's sampling profiler,
 * about one sample per millisecond). Idle samples are the wait for the request that triggers the import.
 */
function analyse(profile: CpuProfile, lineSources: string[]): { ms: number; bySource: Map<string, number> } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const bySource = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id)!;
    const us = profile.timeDeltas[i] ?? 0;
    if (frame.functionName === '(idle)') return;
    busy += us;
    const source = frame.functionName.startsWith('(')
      ? frame.functionName
      : frame.url.startsWith('node-internal:')
        ? 'node-internal (nodejs_compat)'
        : frame.url.endsWith('/index.js') && frame.lineNumber >= 0
          ? (lineSources[frame.lineNumber] ?? '(wrangler)')
          : '(runtime)';
    bySource.set(source, (bySource.get(source) ?? 0) + us);
  });
  return { ms: busy / 1000, bySource };
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

/**
 * `wrangler check startup` on the bundle `wrangler deploy --dry-run --outfile` wrote (offline: it
 * loads the bundle into a local workerd with the inspector attached and profiles the import of the
 * entry module), `runs` times; the CPU time of each, the median and the fastest.
 */
export function measureStartup(workerBundle: string, bundleJs: string, runs: number): StartupReport {
  const dir = mkdtempSync(join(tmpdir(), 'aegisx-startup-'));
  const lineSources = sourcesOfLines(bundleJs);
  try {
    const results = Array.from({ length: runs }, (_, i) => {
      const outfile = join(dir, `startup-${i}.cpuprofile`);
      const result = spawnSync(resolve(repoRoot, 'node_modules/.bin/wrangler'), ['check', 'startup', '--worker', workerBundle, '--outfile', outfile], {
        cwd: repoRoot,
        encoding: 'utf8',
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
      });
      if (result.status !== 0) throw new Error(`wrangler check startup failed:\n${result.stdout}\n${result.stderr}`);
      return analyse(JSON.parse(readFileSync(outfile, 'utf8')) as CpuProfile, lineSources);
    });
    const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
    const fastest = results.reduce((a, b) => (b.ms < a.ms ? b : a));
    return {
      runsMs: results.map((r) => round1(r.ms)),
      medianMs: round1(sorted[Math.floor((sorted.length - 1) / 2)]!),
      minMs: round1(sorted[0]!),
      top: [...fastest.bySource]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([source, us]) => ({ source, ms: round1(us / 1000) })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
