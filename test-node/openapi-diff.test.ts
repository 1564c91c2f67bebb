// API change control: npm run openapi:diff on small documents (every kind of breaking change is
// caught, additive and compatible changes are not), the release check CI runs (openapi:compat)
// and the changelog, in a throwaway git repository.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { diffDocuments, formatMarkdown, formatText, type ApiDiff } from '../scripts/openapi-diff';
import { withSection } from '../scripts/changelog';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');
const work = mkdtempSync(join(tmpdir(), 'openapi-diff-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Json = Record<string, any>;

/** A small API: a list and a create operation on /items, an item by id, and /legacy. */
function baseDocument(): Json {
  const json = (schema: Json) => ({ 'application/json': { schema } });
  return {
    openapi: '3.1.0',
    info: { title: 'Small API', version: '1.0.0' },
    paths: {
      '/items': {
        get: {
          operationId: 'listItems',
          summary: 'List items',
          parameters: [
            { name: 'kind', in: 'query', required: false, schema: { type: 'string', enum: ['book', 'disc'] } },
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer' } },
          ],
          responses: { 200: { description: 'A page', content: json({ type: 'array', items: { $ref: '#/components/schemas/Item' } }) } },
        },
        post: {
          operationId: 'createItem',
          summary: 'Create an item',
          requestBody: { required: true, content: json({ $ref: '#/components/schemas/ItemInput' }) },
          responses: { 201: { description: 'Created', content: json({ $ref: '#/components/schemas/Item' }) } },
        },
      },
      '/items/{id}': {
        get: {
          operationId: 'getItem',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: { description: 'The item', content: json({ $ref: '#/components/schemas/Item' }) } },
        },
        delete: {
          operationId: 'deleteItem',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 204: { description: 'Deleted' } },
        },
      },
      '/legacy': { get: { operationId: 'legacy', responses: { 200: { description: 'Old', content: json({ type: 'object' }) } } } },
    },
    components: {
      schemas: {
        Item: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            name: { type: 'string' },
            kind: { type: 'string', enum: ['book', 'disc'] },
            tags: { type: 'array', items: { type: 'string' } },
          },
          required: ['id', 'name'],
        },
        ItemInput: {
          type: 'object',
          properties: { name: { type: 'string' }, kind: { type: 'string', enum: ['book', 'disc'] }, note: { type: 'string' } },
          required: ['name'],
        },
      },
    },
  };
}

let counter = 0;
function write(document: Json): string {
  const file = join(work, `doc-${counter++}.json`);
  writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

/** The diff between the base document and the base with one change applied. */
function diffWith(change: (d: Json) => void): ApiDiff {
  const changed = baseDocument();
  change(changed);
  return diffDocuments(write(baseDocument()), write(changed));
}

const schemas = (d: Json) => d.components.schemas;
const listItems = (d: Json) => d.paths['/items'].get;

const breaking: [string, (d: Json) => void, { subject: string; rule: string }][] = [
  ['an operation removed', (d) => delete d.paths['/items/{id}'].delete, { subject: 'DELETE /items/{id}', rule: 'operation-removed' }],
  ['a whole path removed', (d) => delete d.paths['/legacy'], { subject: 'GET /legacy', rule: 'path-removed' }],
  ['a response field removed', (d) => delete schemas(d).Item.properties.tags, { subject: 'GET /items', rule: 'property-removed' }],
  ['a response field made optional', (d) => (schemas(d).Item.required = ['id']), { subject: 'GET /items', rule: 'required-properties-removed' }],
  ['a field’s type changed', (d) => (schemas(d).Item.properties.id = { type: 'integer' }), { subject: 'GET /items', rule: 'schema-type-changed' }],
  ['an array’s item type changed', (d) => (schemas(d).Item.properties.tags.items = { type: 'integer' }), { subject: 'GET /items', rule: 'schema-type-changed' }],
  ['a request body enum narrowed', (d) => (schemas(d).ItemInput.properties.kind.enum = ['book']), { subject: 'POST /items', rule: 'enum-values-removed' }],
  ['a query parameter enum narrowed', (d) => (listItems(d).parameters[0].schema.enum = ['book']), { subject: 'GET /items', rule: 'enum-values-removed' }],
  ['a response enum widened (a client may not know the new value)', (d) => (schemas(d).Item.properties.kind.enum = ['book', 'disc', 'tape']), { subject: 'GET /items', rule: 'enum-values-added' }],
  ['a request field made required', (d) => (schemas(d).ItemInput.required = ['name', 'note']), { subject: 'POST /items', rule: 'required-properties-added' }],
  ['a required parameter added', (d) => listItems(d).parameters.push({ name: 'owner', in: 'query', required: true, schema: { type: 'string' } }), { subject: 'GET /items', rule: 'parameter-became-required' }],
  ['an optional parameter made required', (d) => (listItems(d).parameters[1].required = true), { subject: 'GET /items', rule: 'parameter-became-required' }],
  [
    'a success status changed',
    (d) => {
      const post = d.paths['/items'].post;
      post.responses = { 200: post.responses[201] };
    },
    { subject: 'POST /items', rule: 'response-removed' },
  ],
];

const compatible: [string, (d: Json) => void][] = [
  ['an operation added', (d) => (d.paths['/items/{id}'].put = { operationId: 'replaceItem', responses: { 200: { description: 'Replaced' } } })],
  ['a path added', (d) => (d.paths['/shelves'] = { get: { operationId: 'listShelves', responses: { 200: { description: 'Shelves' } } } })],
  ['an optional parameter added', (d) => listItems(d).parameters.push({ name: 'owner', in: 'query', required: false, schema: { type: 'string' } })],
  ['a response field added', (d) => (schemas(d).Item.properties.createdAt = { type: 'string', format: 'date-time' })],
  ['an optional request field added', (d) => (schemas(d).ItemInput.properties.colour = { type: 'string' })],
  ['a request enum widened', (d) => (schemas(d).ItemInput.properties.kind.enum = ['book', 'disc', 'tape'])],
  ['a response enum narrowed', (d) => (schemas(d).Item.properties.kind.enum = ['book'])],
  ['a request field made optional', (d) => (schemas(d).ItemInput.required = [])],
  ['an error response added', (d) => (listItems(d).responses[400] = { description: 'Bad query' })],
  ['a description changed', (d) => (listItems(d).description = 'Lists the items, newest first.')],
  ['the version changed', (d) => (d.info.version = '1.1.0')],
];

describe('openapi:diff', () => {
  it.each(breaking)('%s is breaking', (_, change, expected) => {
    const diff = diffWith(change);
    expect(diff.breaking).toBe(true);
    const found = diff.changes.filter((c) => c.category === 'breaking');
    expect(found, formatText(diff)).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
  });

  it.each(compatible)('%s is not breaking', (_, change) => {
    const diff = diffWith(change);
    expect(diff.breaking, formatText(diff)).toBe(false);
    expect(diff.changes.length).toBeGreaterThan(0);
  });

  it('reports no change between identical documents', () => {
    const diff = diffWith(() => {});
    expect(diff).toMatchObject({ breaking: false, changes: [] });
  });

  it('describes changes where a reader looks for them: operation, then request, response and field', () => {
    const diff = diffWith((d) => {
      delete schemas(d).Item.properties.tags;
      d.paths['/shelves'] = { get: { operationId: 'listShelves', summary: 'List shelves', responses: { 200: { description: 'Shelves' } } } };
    });
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ category: 'breaking', subject: 'GET /items', where: 'response 200 › [].tags' }),
        expect.objectContaining({ category: 'additive', subject: 'GET /shelves', description: 'operation added (List shelves)' }),
      ]),
    );
    const text = formatText(diff);
    expect(text).toContain('Breaking changes');
    expect(text).toContain('GET /shelves: operation added (List shelves)');
    expect(text).toContain('BREAKING for clients');
    expect(formatMarkdown(diff)).toMatch(/^### Breaking changes\n\n- `GET \/items`/);
  });

  it('exits 1 on a breaking change, 0 on a compatible one, 2 on bad input', () => {
    const base = write(baseDocument());
    const removed = baseDocument();
    delete removed.paths['/legacy'];
    const added = baseDocument();
    added.paths['/shelves'] = { get: { operationId: 'listShelves', responses: { 200: { description: 'Shelves' } } } };
    const run = (...args: string[]) => spawnSync(tsx, ['scripts/openapi-diff.ts', ...args], { cwd: root, encoding: 'utf8' });

    const broken = run(base, write(removed));
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain('GET /legacy: operation removed');
    const fine = run(base, write(added));
    expect(fine.status).toBe(0);
    expect(fine.stdout).toContain('compatible with existing clients');
    expect(run(base, join(work, 'missing.json')).status).toBe(2);
    expect(run(base).status).toBe(2);
  });
});

describe('openapi:compat and changelog in a repository', () => {
  const repo = join(work, 'repo');
  const env = { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8' });
  const script = (name: string, ...args: string[]) => spawnSync(tsx, [join(root, 'scripts', name), ...args], { cwd: repo, env, encoding: 'utf8' });
  const save = (version: string, document: Json) => {
    writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'small-api', version }, null, 2));
    writeFileSync(join(repo, 'openapi/openapi.json'), JSON.stringify({ ...document, info: { ...document.info, version } }, null, 2));
  };

  it('passes with no release tag, then fails on a breaking change until the major version is raised', () => {
    mkdirSync(join(repo, 'openapi'), { recursive: true });
    git('init', '-q');
    save('1.0.0', baseDocument());
    git('add', '.');
    git('commit', '-q', '-m', 'first');

    const untagged = script('openapi-diff.ts', '--release');
    expect(untagged.status, untagged.stderr).toBe(0);
    expect(untagged.stdout).toContain('No release tag');

    const first = script('changelog.ts', 'v1.0.0');
    expect(first.status, first.stderr).toBe(0);
    const initial = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8');
    expect(initial).toMatch(/^# Changelog\n/);
    expect(initial).toMatch(/## v1\.0\.0 — \d{4}-\d{2}-\d{2}\n\nFirst release: 5 operations\./);
    expect(initial).toContain('`DELETE /items/{id}`');
    git('add', '.');
    git('commit', '-q', '-m', 'v1.0.0');
    git('tag', 'v1.0.0');

    const additive = baseDocument();
    additive.paths['/shelves'] = { get: { operationId: 'listShelves', summary: 'List shelves', responses: { 200: { description: 'Shelves' } } } };
    save('1.1.0', additive);
    expect(script('openapi-diff.ts', '--release').status).toBe(0);

    const breakingDocument = structuredClone(additive);
    delete breakingDocument.paths['/legacy'];
    save('1.1.0', breakingDocument);
    const refused = script('openapi-diff.ts', '--release');
    expect(refused.status).toBe(1);
    expect(refused.stdout).toContain('GET /legacy: operation removed');
    expect(refused.stderr).toContain('raise the major version');

    expect(script('changelog.ts', 'v2.0.0').status).toBe(1); // package.json still says 1.1.0

    save('2.0.0', breakingDocument);
    const allowed = script('openapi-diff.ts', '--release');
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(allowed.stdout).toContain('the major version was raised (v1.0.0 → 2.0.0)');

    const second = script('changelog.ts', 'v2.0.0');
    expect(second.status, second.stderr).toBe(0);
    const changelog = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8');
    const v2 = changelog.indexOf('## v2.0.0');
    expect(v2).toBeGreaterThan(0);
    expect(v2).toBeLessThan(changelog.indexOf('## v1.0.0'));
    expect(changelog).toContain('Compared with v1.0.0: 1 breaking, 1 additive');
    expect(changelog).toContain('- `GET /legacy`: operation removed');
    expect(changelog).toContain('- `GET /shelves`: operation added (List shelves)');

    // Once tagged, the section is regenerated from the tagged document, compared with the tag before.
    git('add', '.');
    git('commit', '-q', '-m', 'v2.0.0');
    git('tag', 'v2.0.0');
    expect(script('changelog.ts', 'v2.0.0').status).toBe(0);
    const again = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8');
    expect(again.match(/## v2\.0\.0/g)).toHaveLength(1);
    expect(again).toContain('Compared with v1.0.0');
    expect(script('openapi-diff.ts', '--release').stdout).toContain('No API changes.');
  });

  it('replaces a release section instead of adding a second one', () => {
    const once = withSection('', 'v1.0.0', '## v1.0.0 — 2026-01-01\n\nFirst.\n');
    const twice = withSection(withSection(once, 'v1.1.0', '## v1.1.0 — 2026-02-01\n\nSecond.\n'), 'v1.0.0', '## v1.0.0 — 2026-01-02\n\nFirst, again.\n');
    expect(twice.match(/## v1\.0\.0/g)).toHaveLength(1);
    expect(twice).toContain('First, again.');
    expect(twice.indexOf('## v1.1.0')).toBeLessThan(twice.indexOf('## v1.0.0'));
  });
});
