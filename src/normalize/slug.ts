import slugify from '@sindresorhus/slugify';

/**
 * The adapter for `@sindresorhus/slugify`: an ASCII slug by transliteration (ș → s, ă → a,
 * Ж → zh), cut at a word boundary so URLs stay readable. Empty when nothing transliterates
 * (e.g. a title only of emoji); the caller then falls back to a hash.
 */
const MAX = 80;

export function slugFor(title: string): string {
  const slug = slugify(title, { decamelize: false });
  if (slug.length <= MAX) return slug;
  const cut = slug.slice(0, MAX + 1);
  const at = cut.lastIndexOf('-');
  return (at > 20 ? cut.slice(0, at) : slug.slice(0, MAX)).replace(/-+$/, '');
}
