// Records a release's API changes in CHANGELOG.md, from the same comparison as
// `npm run openapi:diff` / `openapi:compat`: the release's OpenAPI document against the previous
// release tag's. The first release (no earlier tag) lists its operations.
//
//   npm run changelog -- vX.Y.Z     (X.Y.Z must be package.json's version)
//
// The release's document is the one tagged vX.Y.Z when that tag exists, else openapi/openapi.json
// (the release being prepared). Running it again replaces the release's section.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOCUMENT_FILE, diffDocuments, documentAt, formatMarkdown, latestReleaseTag, packageVersion, verdictOf } from './openapi-diff';

const FILE = 'CHANGELOG.md';
const HEADER = `# Changelog

The API changes of each release, written by \`npm run changelog -- vX.Y.Z\` from the comparison CI
runs (\`npm run openapi:compat\`): the release's OpenAPI document against the previous release's.
Breaking changes come with a new major version.
`;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Json = Record<string, any>;

/** The first release: its operations, grouped by tag in the document's order. */
function firstRelease(document: Json): string {
  const byTag = new Map<string, string[]>((document.tags ?? []).map((t: { name: string }) => [t.name, []]));
  let count = 0;
  for (const [path, item] of Object.entries<Json>(document.paths ?? {})) {
    for (const method of METHODS.filter((m) => m in item)) {
      count++;
      const tag = item[method].tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), `\`${method.toUpperCase()} ${path}\``]);
    }
  }
  const lines = [`First release: ${count} operations.`, '', '### Operations', ''];
  for (const [tag, operations] of byTag) if (operations.length) lines.push(`- **${tag}**: ${operations.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The section of one release. */
export function releaseSection(tag: string, date: string, cwd = process.cwd()): string {
  const tagged = latestReleaseTag(cwd) === tag;
  const previous = tagged ? latestReleaseTag(cwd, tag) : latestReleaseTag(cwd);
  const release = tagged ? documentAt(tag, cwd) : null;
  const releaseFile = release?.file ?? resolve(cwd, DOCUMENT_FILE);
  try {
    if (!previous) return `## ${tag} — ${date}\n\n${firstRelease(JSON.parse(readFileSync(releaseFile, 'utf8')))}`;
    const before = documentAt(previous, cwd);
    try {
      const diff = diffDocuments(before.file, releaseFile);
      return `## ${tag} — ${date}\n\nCompared with ${previous}: ${verdictOf(diff)}\n\n${diff.changes.length ? formatMarkdown(diff) : ''}`;
    } finally {
      rmSync(before.folder, { recursive: true, force: true });
    }
  } finally {
    if (release) rmSync(release.folder, { recursive: true, force: true });
  }
}

/** CHANGELOG.md with the release's section added at the top, or put in place of its old one. */
export function withSection(changelog: string, tag: string, section: string): string {
  const body = changelog.trim() ? changelog : HEADER;
  const sections = body.split(/^(?=## )/m);
  const head = sections[0]!.trimEnd();
  const releases = sections.slice(1).map((s) => s.trimEnd());
  const index = releases.findIndex((s) => s.startsWith(`## ${tag} `) || s.startsWith(`## ${tag}\n`));
  if (index >= 0) releases[index] = section.trimEnd();
  else releases.unshift(section.trimEnd());
  return `${[head, ...releases].join('\n\n')}\n`;
}

function main(argv: string[]): number {
  const tag = argv.find((a) => !a.startsWith('--'));
  if (!tag || !/^v\d+\.\d+\.\d+(?:-[\w.]+)?$/.test(tag)) {
    console.error('usage: npm run changelog -- vX.Y.Z');
    return 2;
  }
  const version = packageVersion();
  if (tag !== `v${version}`) {
    console.error(`package.json's version is ${version}: set it to ${tag.slice(1)} first (npm version ${tag.slice(1)} --no-git-tag-version), then run npm run openapi.`);
    return 1;
  }
  const date = new Date().toISOString().slice(0, 10);
  const section = releaseSection(tag, date);
  writeFileSync(FILE, withSection(existsSync(FILE) ? readFileSync(FILE, 'utf8') : '', tag, section));
  console.log(`${FILE}: wrote the ${tag} section\n\n${section}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
