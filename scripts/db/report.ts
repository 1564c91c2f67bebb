import type { SeedResult } from './seed';
import { seedUsers } from './seed-data';

/** Prints what a seed run did, and the passwords it generated: the only time they are shown. */
export function printSeedResult({ created, generatedPasswords }: SeedResult): void {
  const total = Object.values(created).reduce((sum, count) => sum + count, 0);
  console.log(
    total === 0 ? 'Nothing to do: the seed data was already there.' : `Seeded ${total} row(s).`,
  );

  const generated = seedUsers.flatMap((user) => {
    const password = generatedPasswords[user.ref];
    return password === undefined ? [] : [`  ${user.account.email}  ${password}`];
  });
  if (generated.length > 0) {
    console.log(
      [
        '',
        'Generated passwords. They are shown this once and stored only as hashes: save them now.',
        ...generated,
        '(Set SEED_ADMIN_PASSWORD / SEED_DEMO_PASSWORD to choose them instead.)',
      ].join('\n'),
    );
  }
}

/** An error's message, followed by its cause's (pg and drizzle put the useful part there). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `\n  ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
