import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { repoRoot } from '../scripts/wrangler-dev';
import { benchDir } from './worker';

export interface StartupReport {
  /** CPU time of the Worker's start-up (its global scope, every module it evaluates), per run, in ms. */
  runsMs: number[];
  medianMs: number;
  minMs: number;
  /** The packages (and the Worker's own sources) that took the most start-up CPU in the fastest run, in ms. */
  top: { source: string; ms: number }[];
  /**
   * What an area's first request adds: the start-up of a Worker that also builds that area's app
   * (src/areas.ts) in its global scope, median of its runs, minus the plain start-up's median.
   * `every area` is what an isolate holds once it has served every area (the Worker before areas).
   */
  areas: { area: string; medianMs: number; addedMs: number }[];
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

const wranglerBin = () => resolve(repoRoot, 'node_modules/.bin/wrangler');
const wranglerEnv = () => ({ ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' });

/** `wrangler check startup` on an upload-form bundle, `runs` times: the profile of each, analysed. */
function profileRuns(dir: string, workerBundle: string, lineSources: string[], runs: number) {
  return Array.from({ length: runs }, (_, i) => {
    const outfile = join(dir, `startup-${i}.cpuprofile`);
    const result = spawnSync(wranglerBin(), ['check', 'startup', '--worker', workerBundle, '--outfile', outfile], { cwd: repoRoot, encoding: 'utf8', env: wranglerEnv() });
    if (result.status !== 0) throw new Error(`wrangler check startup failed:\n${result.stdout}\n${result.stderr}`);
    return analyse(JSON.parse(readFileSync(outfile, 'utf8')) as CpuProfile, lineSources);
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

/**
 * The start-up of a Worker whose global scope also builds some areas' apps: an entry beside the
 * real one (under .data/bench) that starts their `load` and re-exports src/index.ts. The imports
 * the bundle makes of an area's modules resolve in microtasks, which run before the start-up ends.
 */
function areaStartup(dir: string, area: string, names: readonly string[], runs: number): number {
  const entry = join(dir, `entry-${area.replace(/\W+/g, '-')}.ts`);
  const src = relative(dirname(entry), resolve(repoRoot, 'src')).split(sep).join('/');
  writeFileSync(
    entry,
    `import { AREAS } from '${src}/areas';\n` +
      `for (const area of AREAS.filter((a) => ${JSON.stringify(names)}.includes(a.name))) void area.load('production');\n` +
      `export { default } from '${src}/index';\n`,
  );
  const outdir = join(dir, `out-${area.replace(/\W+/g, '-')}`);
  const workerBundle = `${outdir}.bundle`;
  const build = spawnSync(wranglerBin(), ['deploy', '--dry-run', '--outdir', outdir, '--outfile', workerBundle, entry], { cwd: repoRoot, encoding: 'utf8', env: wranglerEnv() });
  if (build.status !== 0) throw new Error(`wrangler deploy --dry-run of ${entry} failed:\n${build.stdout}\n${build.stderr}`);
  return median(profileRuns(dir, workerBundle, [], runs).map((r) => r.ms));
}

/**
 * `wrangler check startup` on the bundle `wrangler deploy --dry-run --outfile` wrote (offline: it
 * loads the bundle into a local workerd with the inspector attached and profiles the import of the
 * entry module), `runs` times; the CPU time of each, the median and the fastest. Then the same for
 * Workers that also build each area in their global scope, for what the first request of an area
 * adds.
 */
export function measureStartup(workerBundle: string, bundleJs: string, runs: number, areas: readonly string[]): StartupReport {
  mkdirSync(benchDir, { recursive: true });
  const dir = mkdtempSync(join(benchDir, 'startup-'));
  try {
    const results = profileRuns(dir, workerBundle, sourcesOfLines(bundleJs), runs);
    const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
    const fastest = results.reduce((a, b) => (b.ms < a.ms ? b : a));
    const medianMs = median(sorted);
    const loads = [['every area', areas] as const, ...areas.map((area) => [area, [area]] as const)].map(([area, names]) => {
      const areaMedian = areaStartup(dir, area, names, runs);
      return { area, medianMs: round1(areaMedian), addedMs: round1(areaMedian - medianMs) };
    });
    return {
      runsMs: results.map((r) => round1(r.ms)),
      medianMs: round1(medianMs),
      minMs: round1(sorted[0]!),
      top: [...fastest.bySource]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([source, us]) => ({ source, ms: round1(us / 1000) })),
      areas: loads,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
