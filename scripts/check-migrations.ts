// Fails when drizzle/ and migrations/ drift apart: drizzle-kit generates into a scratch copy of
// migrations/, and any new SQL file means the schema has changes no migration carries.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

// drizzle-kit resolves --out relative to the working directory: keep the scratch copy inside the
// repository, in the git-ignored .data folder.
const scratch = `.data/migrations-check-${process.pid}`;
mkdirSync('.data', { recursive: true });
try {
  cpSync('migrations', scratch, { recursive: true });
  const before = new Set(readdirSync(scratch));
  const kit = (args: string[]) => execFileSync('npx', ['drizzle-kit', ...args], { stdio: 'pipe', encoding: 'utf8' });
  kit(['check', '--dialect', 'postgresql', '--out', scratch]);
  kit(['generate', '--dialect', 'postgresql', '--schema', './drizzle/index.ts', '--out', scratch, '--name', 'drift']);
  const added = readdirSync(scratch).filter((f) => !before.has(f));
  if (added.length > 0) {
    console.error(`Schema drift: drizzle/ has changes that migrations/ does not (${added.join(', ')}). Run npm run db:generate and commit the result.`);
    process.exit(1);
  }
  console.log('drizzle/ and migrations/ agree');
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
