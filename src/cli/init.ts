import { ensureArchiveReadme } from '../archive/archive-readme.js';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { JSON_SCHEMA_VERSION } from '../api/schema-version.js';
import { CONFIG_FILE, ConfigError, loadConfig, resolveConfig } from '../config/load-config.js';
import { UsageError } from './build.js';
import { shellWord } from '../model/shell-word.js';
import { EXIT } from './exit-codes.js';
import {
  configText,
  EXAMPLE_ARTICLE,
  exampleArticle,
  gitignoreText,
  PLACEHOLDERS,
  type SiteAnswers,
} from './init-files.js';
import { COMMON_OPTIONS, verbosity } from './output.js';
import { printJson } from './print-json.js';

export const usage = `usage: feedkeeper init [DIR] [options]

Set up a new site in DIR (default: the current folder; created if missing): a commented
feedkeeper.config.json, archive/articles/ with a short example article, and a .gitignore that
keeps the archive in version control and leaves out/ and .feedkeeper/ out. A file already there
is never overwritten (.gitignore only gains the lines it lacks). On a terminal it asks for the
site's title, address, publisher and language, checking each answer as it is given;
otherwise (a script, a pipe) it asks nothing and uses the
options below, or placeholders to edit later.

options:
  --title TEXT     the site's title (feed title)
  --base-url URL   where out/ will be served, e.g. https://news.example.org
  --author NAME    the publisher, the feeds' author
  --language TAG   BCP 47 language of the site, e.g. en, ro, en-GB (default en)
  -y, --yes        ask nothing, even on a terminal
  --json           print what was created as JSON on stdout
  --config NAME    the configuration file's name, in DIR (default feedkeeper.config.json; its
                   paths are relative to its folder); build then needs the same --config
${COMMON_OPTIONS.split('\n').slice(2).join('\n')}

examples:
  feedkeeper init my-news            then: cd my-news && feedkeeper build
  feedkeeper init --title "Știri" --base-url https://stiri.example.ro --author "Redacția" --language ro`;

export async function init(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      title: { type: 'string' },
      'base-url': { type: 'string' },
      author: { type: 'string' },
      language: { type: 'string' },
      yes: { type: 'boolean', short: 'y' },
      json: { type: 'boolean' },
      config: { type: 'string' },
    },
  });
  if (positionals.length > 1)
    throw new UsageError(`init takes one folder, not ${positionals.length}`);
  const dir = resolve(positionals[0] ?? '.');
  refuseFileAsFolder(positionals[0] ?? '.', dir);
  const configFile =
    values.config === undefined ? join(dir, CONFIG_FILE) : resolve(dir, values.config);
  const haveConfig = existsSync(configFile);
  // The paths init writes ("archive/articles") are relative to the configuration's folder:
  // written anywhere but DIR, they named folders init did not create (an outside try: build
  // then said to run init, which had just been done). An existing one says where its folders are.
  if (!haveConfig && dirname(configFile) !== dir)
    throw new ConfigError([
      `init: --config ${values.config ?? ''}: the configuration must be in the site's folder (${relative(process.cwd(), dir) || '.'}), since its paths are relative to its own folder: give a file name such as --config site.json, or leave --config out; nothing was written.`,
    ]);
  const given: Partial<SiteAnswers> = {
    ...(values.title === undefined ? {} : { title: values.title }),
    ...(values['base-url'] === undefined ? {} : { baseUrl: values['base-url'] }),
    ...(values.author === undefined ? {} : { author: values['author'] }),
    ...(values.language === undefined ? {} : { language: values.language }),
  };
  // Ask only a person: a script or a pipe gets the flags or the placeholders, never a prompt.
  const interactive =
    !haveConfig &&
    values.yes !== true &&
    values.json !== true &&
    process.stdin.isTTY === true &&
    process.stdout.isTTY === true;
  // Refuse what build would refuse, before writing anything (exit 2, the option named): the
  // options before any question, so that nobody answers them all for a value given wrong.
  const label = relative(process.cwd(), configFile) || CONFIG_FILE;
  const refused = (answers: SiteAnswers): ConfigError | null => {
    try {
      resolveConfig(JSON.parse(configText(answers)), dir, {}, label);
      return null;
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
  };
  const flagsRefused = refused({ ...PLACEHOLDERS, ...given });
  if (flagsRefused !== null) throw asOptionError(flagsRefused, label);
  const answers = interactive
    ? await ask(given, (key, value) => {
        const error = refused({ ...PLACEHOLDERS, ...given, [key]: value });
        return error === null ? null : problemOf(error, label, key);
      })
    : { ...PLACEHOLDERS, ...given };
  const answersRefused = refused(answers);
  if (answersRefused !== null)
    throw asOptionError(answersRefused, label, interactive ? given : null);

  const created: string[] = [];
  const kept: string[] = [];
  const shown = (abs: string): string => relative(dir, abs) || '.';
  mkdirSync(dir, { recursive: true });
  const write = (abs: string, text: string): void => {
    if (existsSync(abs)) kept.push(shown(abs));
    else {
      writeFileSync(abs, text, { flag: 'wx' });
      created.push(shown(abs));
    }
  };
  write(configFile, configText(answers));
  // An existing configuration says where the articles go (the folder build said was missing).
  const articles = haveConfig
    ? loadConfig(configFile).paths.articles
    : join(dir, 'archive', 'articles');
  if (existsSync(articles)) kept.push(`${shown(articles)}/`);
  else {
    mkdirSync(articles, { recursive: true });
    created.push(`${shown(articles)}/`);
    write(join(articles, EXAMPLE_ARTICLE), exampleArticle(new Date()));
  }
  // The layout explained to someone with only ls, cat and jq (kept if it is already there).
  const records = haveConfig
    ? loadConfig(configFile).paths.records
    : join(dir, 'archive', 'records');
  const readme = ensureArchiveReadme(records);
  if (readme === null) kept.push(`${shown(join(dirname(records), 'README.md'))}`);
  else created.push(shown(readme));
  const gitignore = join(dir, '.gitignore');
  // A folder by that name (found by an outside try: "EISDIR … read", naming no file) is left as
  // it is, and said.
  const folder = statSync(gitignore, { throwIfNoEntry: false })?.isDirectory() === true;
  const before = !folder && existsSync(gitignore) ? readFileSync(gitignore, 'utf8') : null;
  const after = folder ? null : gitignoreText(before);
  if (folder) kept.push('.gitignore (a folder, not a file: not changed)');
  else if (after === null) kept.push('.gitignore');
  else {
    writeFileSync(gitignore, after);
    (before === null ? created : kept).push(
      before === null ? '.gitignore' : '.gitignore (lines added)',
    );
  }

  const placeholders = haveConfig
    ? []
    : (Object.keys(PLACEHOLDERS) as (keyof SiteAnswers)[]).filter(
        (k) => k !== 'language' && answers[k] === PLACEHOLDERS[k],
      );
  if (values.json) {
    printJson({
      schemaVersion: JSON_SCHEMA_VERSION,
      command: 'init',
      dir,
      created,
      kept,
      placeholders,
    });
    return EXIT.ok;
  }
  if (verbosity() === 'quiet') return EXIT.ok;
  const cd = relative(process.cwd(), dir);
  // build finds feedkeeper.config.json by itself; another name it must be given.
  const config =
    configFile === join(dir, CONFIG_FILE)
      ? ''
      : ` --config ${shellWord(relative(dir, configFile))}`;
  console.log(
    [
      `feedkeeper init: ${dir}`,
      ...created.map((f) => `  created ${f}`),
      ...kept.map((f) => `  kept    ${f} (already there)`),
      ...(placeholders.length > 0
        ? [
            `Placeholders in ${shown(configFile)}: ${placeholders.map((k) => KEY_OF[k]).join(', ')}; edit them before publishing for real (site.baseUrl names every record's id).`,
          ]
        : []),
      `next: ${cd === '' ? '' : `cd ${shellWord(cd)} && `}feedkeeper build${config}`,
    ].join('\n'),
  );
  return EXIT.ok;
}

/**
 * DIR (or a folder above it) is a file: said of the argument, in one line. The configuration's
 * check said it of paths.state and paths.records, proposing the values they already had.
 */
function refuseFileAsFolder(given: string, dir: string): void {
  for (let at = dir; ; at = dirname(at)) {
    let s;
    try {
      s = statSync(at, { throwIfNoEntry: false });
    } catch {
      s = undefined; // ENOTDIR: a file above it, found on the way up
    }
    if (s !== undefined) {
      if (s.isDirectory()) return;
      const what = s.isFile() ? 'a file' : 'not a folder';
      const name = at === dir ? given : relative(process.cwd(), at) || at;
      // A file above the folder asked for (`init afile/sub`): said as that, or the message
      // named a path the operator never typed as if it were the one given.
      const where =
        at === dir
          ? `${name} is ${what}, not a folder`
          : `${given} cannot be made: ${name}, above it, is ${what}, not a folder`;
      throw new ConfigError([
        `init: ${where}: give init a folder to create or an existing folder (feedkeeper init my-news); nothing was written.`,
      ]);
    }
    if (dirname(at) === at) return;
  }
}

/**
 * What the configuration's check says of one answer, for its prompt: the text after the key
 * (`expected an absolute http(s) URL; it has a query …`), or null if it says nothing of it.
 */
function problemOf(error: ConfigError, label: string, key: keyof SiteAnswers): string | null {
  const prefix = `config: ${label}: "${KEY_OF[key]}": `;
  const said = error.lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
  return said.length === 0 ? null : said.join('; ');
}

/**
 * A value init was given (an option or an answer) refused as build would refuse it, said of
 * the option, not of keys in a file that was not written (found by an outside try: "fix the
 * keys above in the configuration file", of a file that does not exist).
 */
function asOptionError(
  error: ConfigError,
  label: string,
  /** On a terminal, the values given as options: the others were answers to a prompt. */
  given: Partial<SiteAnswers> | null = null,
): ConfigError {
  const prefix = `config: ${label}: `;
  const named = (key: keyof SiteAnswers): string =>
    given === null || given[key] !== undefined
      ? OPTION_OF[key]
      : `the answer to "${PROMPT_OF[key]}"`;
  const lines = error.lines
    .filter((l) => !l.startsWith('hint: '))
    .map((line) => {
      if (!line.startsWith(prefix)) return line;
      const rest = line.slice(prefix.length);
      const key = Object.entries(KEY_OF).find(([, k]) => rest.startsWith(`"${k}": `));
      return key === undefined
        ? `init: ${rest}`
        : `init: ${named(key[0] as keyof SiteAnswers)} (${key[1]}): ${rest.slice(key[1].length + 4)}`;
    });
  return new ConfigError([
    ...lines,
    `hint: run feedkeeper init again with another ${given === null ? 'value' : 'answer'}; nothing was written.`,
  ]);
}

const OPTION_OF: Record<keyof SiteAnswers, string> = {
  title: '--title',
  baseUrl: '--base-url',
  author: '--author',
  language: '--language',
};

const KEY_OF: Record<keyof SiteAnswers, string> = {
  title: 'site.title',
  baseUrl: 'site.baseUrl',
  author: 'site.author.name',
  language: 'site.language',
};

/**
 * The questions, on a terminal: each with its default in brackets; Enter keeps it. Lines are
 * read through the interface's iterator, which buffers them: answers typed (or pasted) ahead of
 * their question are kept, not dropped. End of input (Ctrl+D) or Ctrl+C cancels, writing nothing.
 */
async function ask(
  given: Partial<SiteAnswers>,
  /** What build would say of this answer (the others as given or placeholders), or null. */
  refusal: (key: keyof SiteAnswers, value: string) => string | null,
): Promise<SiteAnswers> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const lines = rl[Symbol.asyncIterator]();
  rl.on('SIGINT', () => rl.close());
  try {
    const q = async (
      key: keyof SiteAnswers,
      label: string,
      fallback: string,
      ok: (v: string) => boolean,
    ): Promise<string> => {
      for (;;) {
        process.stdout.write(`${label} [${fallback}]: `);
        const line = await lines.next();
        if (line.done === true) {
          process.stdout.write('\n');
          throw new UsageError('cancelled; nothing was written');
        }
        const v = String(line.value).trim() || fallback;
        // Checked here, as build would check it, and asked again: checked only after the last
        // question, a refused address lost every answer and blamed a --base-url never given.
        const why = ok(v) ? refusal(key, v) : `expected ${RULE[label] ?? 'some text'}.`;
        if (why === null) return v;
        console.log(`  "${v}" will not do: ${why.replace(/; got ".*"\.$/s, '.')}`);
      }
    };
    const any = (v: string): boolean => v.length > 0;
    return {
      title: given.title ?? (await q('title', PROMPT_OF.title, PLACEHOLDERS.title, any)),
      baseUrl:
        given.baseUrl ??
        (await q('baseUrl', PROMPT_OF.baseUrl, PLACEHOLDERS.baseUrl, (v) =>
          /^https?:\/\/[^/\s]+/.test(v),
        )),
      author: given.author ?? (await q('author', PROMPT_OF.author, PLACEHOLDERS.author, any)),
      language:
        given.language ??
        (await q('language', PROMPT_OF.language, PLACEHOLDERS.language, (v) =>
          /^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$/.test(v),
        )),
    };
  } finally {
    rl.close();
  }
}

const URL_QUESTION = 'Address where out/ will be served';

const PROMPT_OF: Record<keyof SiteAnswers, string> = {
  title: 'Site title',
  baseUrl: URL_QUESTION,
  author: 'Publisher',
  language: 'Language',
};

const RULE: Record<string, string> = {
  [URL_QUESTION]: 'an absolute http(s) URL such as https://news.example.org',
  Language: 'a BCP 47 tag such as en, ro or en-GB',
};
