/**
 * @sindresorhus/transliterate (what slugify makes ASCII with) builds, as it is imported, the
 * replacement pattern of every locale it knows: for each of seven, a copy of its 2,000
 * replacements, sorted by length, escaped and joined into one regular expression. That was 30
 * of the 50 ms of CPU its import took, in every process that loads the normalizer (a run with a
 * new or edited article, and each examine worker of a cold build), for patterns feedkeeper
 * never asks for: normalize/slug.ts passes no locale, so only the default pattern is used,
 * and it is still made at import as before. The bundle makes each locale's entry when it is
 * first asked for instead, with the same code, so a locale's slug is the same too
 * (tests/normalize/lazy-locales.test.ts holds both versions to the same output).
 *
 * The text replaced must be found exactly as written, or the build fails: a new version of the
 * package is then read again before this is changed to fit it.
 */
const MODULE = /[\\/]@sindresorhus[\\/]transliterate[\\/]index\.js$/;

const EAGER = `for (const [locale, localeMap] of Object.entries(localeReplacements)) {
	const replacements = new Map(builtinReplacements);
	for (const [key, value] of localeMap) {
		replacements.set(key, value);
	}

	localeCache.set(locale, {
		replacements,
		pattern: buildReplacementPattern(replacements),
	});
}`;

const LAZY = `// feedkeeper (rolldown-lazy-locales.js): each locale's pattern is made on first use.
const localeEntry = locale => {
	if (!localeCache.has(locale)) {
		const replacements = new Map(builtinReplacements);
		for (const [key, value] of localeReplacements[locale]) {
			replacements.set(key, value);
		}

		localeCache.set(locale, {
			replacements,
			pattern: buildReplacementPattern(replacements),
		});
	}

	return localeCache.get(locale);
};`;

const USE = '({replacements, pattern} = localeCache.get(normalizedLocale));';
const LAZY_USE = '({replacements, pattern} = localeEntry(normalizedLocale));';

/** The module's text with its locale patterns made on first use; throws if it is not as known. */
export function lazyLocales(code) {
  const normalized = code.replace(/\r\n/g, '\n');
  for (const [text, what] of [
    [EAGER, 'the loop that makes every locale pattern'],
    [USE, 'the lookup of a locale pattern'],
  ])
    if (normalized.split(text).length !== 2)
      throw new Error(
        `@sindresorhus/transliterate/index.js: ${what} is not as rolldown-lazy-locales.js knows it (a new version?). Read the new index.js and change EAGER, LAZY and USE to fit it, or remove the plugin from rolldown.config.js.`,
      );
  return normalized.replace(EAGER, LAZY).replace(USE, LAZY_USE);
}

/** The rolldown plugin: lazyLocales() on that one module. */
export const lazyLocalesPlugin = () => ({
  name: 'lazy-transliterate-locales',
  transform(code, id) {
    return MODULE.test(id) ? { code: lazyLocales(code) } : null;
  },
});
