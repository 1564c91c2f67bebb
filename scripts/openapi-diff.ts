// API change control. Compares two OpenAPI documents with Redocly CLI's `diff` (the maintained
// OpenAPI toolchain this project already lints with: it resolves $refs, knows which direction a
// schema is read in, and rates every change by the semver bump it needs) and prints a changelog
// a person can read.
//
//   npm run openapi:diff -- OLD.json NEW.json [--markdown]
//       prints the changes; exits 1 when one of them breaks clients, 0 otherwise (2: bad input)
//   npm run openapi:compat
//       compares openapi/openapi.json with the document of the latest release tag (v*), if any,
//       and fails on a breaking change unless package.json's major version is above the tag's
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REDOCLY = fileURLToPath(new URL('../node_modules/@redocly/cli/bin/cli.js', import.meta.url));
/** Redocly's diff ruleset (`diff-recommended`), named explicitly: the lint config in redocly.yaml has none. */
const RULES = fileURLToPath(new URL('./openapi-diff.redocly.yaml', import.meta.url));
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
export const DOCUMENT_FILE = 'openapi/openapi.json';

/** Breaking: clients must change (a major version). Additive: new capability (minor). Other: compatible edits (patch). */
export type Category = 'breaking' | 'additive' | 'other';

export interface ApiChange {
  category: Category;
  /** `GET /api/users` for a change inside an operation, `/api/users` for a whole path, else the document part (`info`, `components`…). */
  subject: string;
  /** Where in the subject: `response 200 › data.email`, `request body › name`, `query parameter limit`; empty for the subject itself. */
  where: string;
  description: string;
  /** Redocly's rule that rated the change, when one did. */
  rule?: string;
}

export interface ApiDiff {
  versions: { old: string; new: string };
  changes: ApiChange[];
  breaking: boolean;
}

interface RedoclyLocation {
  pointer: string;
  value?: unknown;
}
interface RedoclyChange {
  path: string;
  kind: 'added' | 'removed' | 'modified';
  impact: 'major' | 'minor' | 'patch';
  property?: string;
  verdicts: { ruleId: string; impact: string; message: string }[];
  base?: RedoclyLocation;
  revision?: RedoclyLocation;
}
interface RedoclyReport {
  infoVersions: { base: string; revision: string };
  changes: RedoclyChange[];
}

type Json = Record<string, any>;

const categoryOf = { major: 'breaking', minor: 'additive', patch: 'other' } as const;

/** Compares two OpenAPI documents (files); throws when either cannot be read as one. */
export function diffDocuments(oldFile: string, newFile: string): ApiDiff {
  const documents = { old: readDocument(oldFile), new: readDocument(newFile) };
  const run = spawnSync(process.execPath, [REDOCLY, 'diff', resolve(oldFile), resolve(newFile), '--format', 'json', '--fail-on', 'none', '--config', RULES], {
    encoding: 'utf8',
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`redocly diff failed (exit ${run.status}): ${run.stderr.split('\n').filter((l) => l.trim() && !/[║╔╚]/.test(l)).join('\n')}`);
  const report = JSON.parse(run.stdout) as RedoclyReport;
  const changes = report.changes.flatMap((change) => describe(change, documents)).sort(byCategoryThenSubject);
  return {
    versions: { old: String(documents.old.info?.version ?? report.infoVersions.base), new: String(documents.new.info?.version ?? report.infoVersions.revision) },
    changes,
    breaking: changes.some((c) => c.category === 'breaking'),
  };
}

function readDocument(file: string): Json {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a readable JSON document (${(error as Error).message})`);
  }
  if (typeof document !== 'object' || document === null || !('openapi' in document)) throw new Error(`${file}: not an OpenAPI 3 document`);
  return document as Json;
}

const order: Category[] = ['breaking', 'additive', 'other'];
function byCategoryThenSubject(a: ApiChange, b: ApiChange) {
  return order.indexOf(a.category) - order.indexOf(b.category) || pathOf(a.subject).localeCompare(pathOf(b.subject)) || a.subject.localeCompare(b.subject) || a.where.localeCompare(b.where);
}
const pathOf = (subject: string) => subject.replace(/^[A-Z]+ /, '');

const unescape = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** Follows a JSON pointer through a document, resolving local $refs on the way. */
function resolvePointer(document: Json, segments: string[]): unknown {
  let node: unknown = document;
  for (const segment of segments) {
    node = deref(document, node);
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Json)[segment];
  }
  return deref(document, node);
}

function deref(document: Json, node: unknown, depth = 0): unknown {
  if (depth < 20 && typeof node === 'object' && node !== null && typeof (node as Json).$ref === 'string' && (node as Json).$ref.startsWith('#/')) {
    return deref(document, resolvePointer(document, (node as Json).$ref.slice(2).split('/').map(unescape)), depth + 1);
  }
  return node;
}

/** `properties/data/properties/email` → `data.email`; `items` → `[]`; compositions by index. */
function schemaPath(segments: string[]): string {
  let out = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === 'properties' && i + 1 < segments.length) out += `${out ? '.' : ''}${segments[++i]}`;
    else if (segment === 'items') out += '[]';
    else if (segment === 'additionalProperties') out += `${out ? '.' : ''}*`;
    else if (['allOf', 'oneOf', 'anyOf'].includes(segment) && i + 1 < segments.length) out += ` (${segment} ${segments[++i]})`;
    else out += `${out ? '.' : ''}${segment}`;
  }
  return out;
}

/** Where inside an operation: parameters, request body, responses. */
function locate(rest: string[], operation: (segments: string[]) => unknown): string {
  const [head, ...tail] = rest;
  if (head === undefined) return '';
  if (head === 'parameters' && tail[0] !== undefined) {
    const parameter = operation(['parameters', tail[0]]) as Json | undefined;
    const label = parameter?.name ? `${parameter.in ?? ''} parameter ${parameter.name}`.trim() : `parameter ${tail[0]}`;
    return [label, schemaPath(tail.slice(2))].filter(Boolean).join(' › ');
  }
  if (head === 'security') return 'security';
  if (head === 'requestBody') return ['request body', schemaPath(tail.slice(3))].filter(Boolean).join(' › ');
  if (head === 'responses' && tail[0] !== undefined) {
    const rest = tail[1] === 'content' ? schemaPath(tail.slice(4)) : tail[1] === 'headers' ? `header ${tail[2] ?? ''}` : '';
    return [`response ${tail[0]}`, rest].filter(Boolean).join(' › ');
  }
  return schemaPath(rest);
}

const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
const summaryOf = (operation: unknown) => (typeof operation === 'object' && operation && (operation as Json).summary ? ` (${(operation as Json).summary})` : '');

/** One Redocly change as readable changes (a whole path added or removed becomes one per operation). */
function describe(change: RedoclyChange, documents: { old: Json; new: Json }): ApiChange[] {
  const category: Category = categoryOf[change.impact];
  const segments = change.path.replace(/^#\/?/, '').split('/').filter(Boolean).map(unescape);
  const verdict = change.verdicts.find((v) => v.impact === change.impact) ?? change.verdicts[0];
  const rule = verdict?.ruleId;
  const side = change.kind === 'removed' ? documents.old : documents.new;

  if (segments[0] === 'paths' && segments[1] !== undefined) {
    const path = segments[1];
    const method = segments[2];
    if (method === undefined || !METHODS.includes(method)) {
      const item = resolvePointer(side, ['paths', path]) as Json | undefined;
      if (method === undefined && change.kind !== 'modified' && item) {
        return METHODS.filter((m) => m in item).map((m) => ({
          category,
          subject: `${m.toUpperCase()} ${path}`,
          where: '',
          description: `operation ${change.kind}${summaryOf(item[m])}`,
          ...(rule ? { rule } : {}),
        }));
      }
      return [{ category, subject: path, where: schemaPath(segments.slice(2)), description: text(change, verdict), ...(rule ? { rule } : {}) }];
    }
    const subject = `${method.toUpperCase()} ${path}`;
    const operation = (rest: string[]) => resolvePointer(side, ['paths', path, method, ...rest]) ?? resolvePointer(documents.old, ['paths', path, method, ...rest]);
    const rest = segments.slice(3);
    if (rest.length === 0 && change.kind !== 'modified') {
      return [{ category, subject, where: '', description: `operation ${change.kind}${summaryOf(operation([]))}`, ...(rule ? { rule } : {}) }];
    }
    return [{ category, subject, where: locate(rest, operation), description: text(change, verdict), ...(rule ? { rule } : {}) }];
  }
  return [{ category, subject: segments[0] ?? 'document', where: schemaPath(segments.slice(1)), description: text(change, verdict), ...(rule ? { rule } : {}) }];
}

function text(change: RedoclyChange, verdict: { message: string } | undefined): string {
  if (verdict) return verdict.message.replace(/\.$/, '');
  if (change.kind === 'modified' && change.property) {
    const before = change.base?.value;
    const after = change.revision?.value;
    if (change.property === 'description' || change.property === 'summary') return `${change.property} changed`;
    if (before === undefined) return `\`${change.property}\` set to ${show(after)}`;
    if (after === undefined) return `\`${change.property}\` removed (was ${show(before)})`;
    return `\`${change.property}\` changed from ${show(before)} to ${show(after)}`;
  }
  return change.kind;
}

const headings: Record<Category, string> = {
  breaking: 'Breaking changes',
  additive: 'Additions',
  other: 'Other changes',
};

function grouped(changes: ApiChange[]) {
  return order
    .map((category) => {
      const bySubject = new Map<string, ApiChange[]>();
      for (const change of changes.filter((c) => c.category === category)) bySubject.set(change.subject, [...(bySubject.get(change.subject) ?? []), change]);
      return { category, bySubject };
    })
    .filter((group) => group.bySubject.size > 0);
}

const line = (change: ApiChange) => `${change.where ? `${change.where}: ` : ''}${change.description}${change.rule ? ` [${change.rule}]` : ''}`;

/** The verdict in one sentence. */
export function verdictOf(diff: ApiDiff): string {
  const count = (category: Category) => diff.changes.filter((c) => c.category === category).length;
  const counts = `${count('breaking')} breaking, ${count('additive')} additive, ${count('other')} other`;
  if (diff.changes.length === 0) return 'No API changes.';
  return diff.breaking ? `${counts}: BREAKING for clients (needs a new major version).` : `${counts}: compatible with existing clients.`;
}

/** The changelog as plain text, for a terminal. */
export function formatText(diff: ApiDiff): string {
  const out = [`API changes ${diff.versions.old} → ${diff.versions.new}`];
  for (const { category, bySubject } of grouped(diff.changes)) {
    out.push('', `${headings[category]} (${[...bySubject.values()].flat().length}):`);
    for (const [subject, changes] of bySubject) {
      if (changes.length === 1) out.push(`  ${subject}${changes[0]!.where ? ` — ${line(changes[0]!)}` : `: ${line(changes[0]!)}`}`);
      else {
        out.push(`  ${subject}`);
        for (const change of changes) out.push(`    - ${line(change)}`);
      }
    }
  }
  out.push('', verdictOf(diff));
  return `${out.join('\n')}\n`;
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const mdLine = (change: ApiChange) => `${change.where ? `${change.where}: ` : ''}${change.description}`;

/** The changelog as Markdown sections (`###` headings), for CHANGELOG.md. */
export function formatMarkdown(diff: ApiDiff): string {
  if (diff.changes.length === 0) return 'No API changes.\n';
  const out: string[] = [];
  for (const { category, bySubject } of grouped(diff.changes)) {
    out.push(`### ${headings[category]}`, '');
    for (const [subject, changes] of bySubject) {
      if (changes.length === 1) out.push(`- ${code(subject)}: ${mdLine(changes[0]!)}`);
      else {
        out.push(`- ${code(subject)}`);
        for (const change of changes) out.push(`  - ${mdLine(change)}`);
      }
    }
    out.push('');
  }
  return out.join('\n');
}

/** The latest release tag (v*) reachable from HEAD, or null when there is none (or no git repository). */
export function latestReleaseTag(cwd = process.cwd(), before?: string): string | null {
  const run = spawnSync('git', ['describe', '--tags', '--abbrev=0', '--match', 'v*', ...(before ? [`${before}^`] : [])], { cwd, encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : null;
}

/** Writes the document committed at a git revision to a temporary file; the caller removes the folder. */
export function documentAt(revision: string, cwd = process.cwd()): { file: string; folder: string } {
  const folder = mkdtempSync(join(tmpdir(), 'openapi-release-'));
  const file = join(folder, 'openapi.json');
  writeFileSync(file, execFileSync('git', ['show', `${revision}:${DOCUMENT_FILE}`], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }));
  return { file, folder };
}

/** The major number of a version such as `v1.2.3` or `1.2.3`. */
export function majorOf(version: string): number {
  const match = /^v?(\d+)\.\d+\.\d+/.exec(version.trim());
  if (!match) throw new Error(`${version} is not a version (X.Y.Z)`);
  return Number(match[1]);
}

export function packageVersion(cwd = process.cwd()): string {
  return JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')).version;
}

/** CI's check: the working document against the latest release's; 0 passes, 1 fails. */
function compatibilityCheck(): number {
  const tag = latestReleaseTag();
  if (!tag) {
    const shallow = spawnSync('git', ['rev-parse', '--is-shallow-repository'], { encoding: 'utf8' }).stdout.trim() === 'true';
    console.log('No release tag (v*) yet: nothing to compare openapi/openapi.json with.');
    if (shallow) console.warn('Warning: this is a shallow clone, which may lack the release tags: check out with full history (actions/checkout fetch-depth: 0).');
    return 0;
  }
  const released = documentAt(tag);
  try {
    const diff = diffDocuments(released.file, DOCUMENT_FILE);
    process.stdout.write(`Compared with ${tag}.\n${formatText(diff)}`);
    if (!diff.breaking) return 0;
    const version = packageVersion();
    if (majorOf(version) > majorOf(tag)) {
      console.log(`Breaking changes are allowed: the major version was raised (${tag} → ${version}).`);
      return 0;
    }
    console.error(`Breaking API changes since ${tag} while package.json's version is ${version}: keep the old behaviour, or raise the major version.`);
    return 1;
  } finally {
    rmSync(released.folder, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  if (argv.includes('--release')) return compatibilityCheck();
  const files = argv.filter((a) => !a.startsWith('--'));
  if (files.length !== 2 || argv.includes('--help')) {
    console.error('usage: npm run openapi:diff -- OLD.json NEW.json [--markdown]\n       npm run openapi:compat   (the committed document against the latest release tag)');
    return 2;
  }
  let diff: ApiDiff;
  try {
    diff = diffDocuments(files[0]!, files[1]!);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  process.stdout.write(argv.includes('--markdown') ? `${formatMarkdown(diff)}\n${verdictOf(diff)}\n` : formatText(diff));
  return diff.breaking ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
