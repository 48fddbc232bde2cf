import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArticleGenerator } from './article.js';

/**
 * The same generated articles as a Hugo site (Markdown content, minimal layouts of our pages'
 * kinds: an article page, one list of every article, a front page with the newest 50, and
 * Hugo's RSS limited to 50 items like our feeds), for `npm run bench:pages` to time Hugo in the
 * same run as feedkeeper. Hugo renders every page on every build; that is the comparison.
 */
const CONFIG = `baseURL = "https://news.example.org/"
languageCode = "ro"
title = "Știri de test"
disableKinds = ["taxonomy", "term"]
[services.rss]
limit = 50
`;

const LAYOUTS: Record<string, string> = {
  '_default/single.html': `<!DOCTYPE html>
<html lang="ro"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"></head>
<body><main><article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time> · {{ .Params.section_name }}</p>
{{ .Content }}</article></main>
<footer><a href="{{ .Site.Home.Permalink }}">Home</a></footer></body></html>
`,
  '_default/list.html': `<!DOCTYPE html>
<html lang="ro"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><ol>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<p>{{ .Summary }}</p></li>{{ end }}</ol></main></body></html>
`,
  'index.html': `<!DOCTYPE html>
<html lang="ro"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title>
{{ range .AlternativeOutputFormats }}<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}</head>
<body><main><ol>{{ range first 50 (where .Site.RegularPages "Section" "articles") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Summary }}</p></li>{{ end }}</ol></main></body></html>
`,
};

/** A stored article (`Title | Section`, blank-line blocks) as Markdown with front matter. */
export function markdownOf(text: string, date: Date): string {
  const [head = '', ...blocks] = text.split(/\n\n+/);
  const cut = head.lastIndexOf(' | ');
  const title = cut < 0 ? head : head.slice(0, cut);
  const section = cut < 0 ? '' : head.slice(cut + 3);
  const body = blocks
    .map((b) => b.trim())
    .filter((b) => b !== '')
    // The generator's headings are short lines without a full stop.
    .map((b) => (b.length < 80 && !/[.”"!?:]$/.test(b) ? `## ${b}` : b))
    .join('\n\n');
  return `---\ntitle: ${JSON.stringify(title)}\ndate: ${date.toISOString()}\nsection_name: ${JSON.stringify(section)}\n---\n\n${body}\n`;
}

export function createHugoSite(dir: string): void {
  mkdirSync(join(dir, 'content', 'articles'), { recursive: true });
  writeFileSync(join(dir, 'hugo.toml'), CONFIG);
  for (const [name, text] of Object.entries(LAYOUTS)) {
    mkdirSync(join(dir, 'layouts', name, '..'), { recursive: true });
    writeFileSync(join(dir, 'layouts', name), text);
  }
}

/**
 * Add article `index` of `gen` to the site, dated a second after the one before it and in the
 * past (Hugo leaves out content dated in the future), like our undated articles, which are
 * published when first archived.
 */
export function writeHugoArticle(
  dir: string,
  gen: ArticleGenerator,
  index: number,
  since: number,
): void {
  const a = gen.article(index);
  writeFileSync(
    join(dir, 'content', 'articles', `a${index}.md`),
    markdownOf(a.text, new Date(since + index * 1000)),
  );
}

/** Is `hugo` on PATH? */
export const hugoAvailable = (): string | null => {
  const r = spawnSync('hugo', ['version'], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? r.stdout.trim() : null;
};

/** Files under `dir` (what a Hugo build writes: it renders every page every time). */
export function countFiles(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) n += countFiles(abs);
    else if (statSync(abs).isFile()) n++;
  }
  return n;
}
