import { iso6393To1, iso6393To2B, iso6393To2T } from 'iso-639-3';

/**
 * The adapter for `iso-639-3`: franc's ISO 639-3 answer → the BCP 47 tag feeds and records use.
 *
 * franc names individual languages: `arb` (Standard Arabic), `cmn` (Mandarin), `pes` (Iranian
 * Persian). BCP 47 takes the shortest ISO 639 code (RFC 5646 section 2.2.1), and for these the
 * reader's tag is the macrolanguage's: `ar`, `zh`, `fa` (`arb` has no two-letter code, so the
 * bare mapping gave `arb`). `iso-639-3` has no macrolanguage data (no installed package has), so
 * this table lists the franc-min languages that are the standard variety of a macrolanguage,
 * which are the ones CLDR's alias data also writes as the macrolanguage (`arb` → `ar`). A test
 * holds the table equal to that data, as Node's Intl.getCanonicalLocales applies it.
 *
 * Left as they are, though ISO 639-3 lists them in a macrolanguage: languages with a code of
 * their own (`ind` → `id` in Malay; `bos`, `hrv`, `srp` in Serbo-Croatian), and one variety among
 * several, for which the macrolanguage tag would claim more than we know: Central Kurdish `ckb`
 * (`ku` is read as Kurmanji), Nigerian Fulfulde `fuv`, Chimborazo Quichua `qug`, the Hmong `hms`
 * and `hnj`, Komi-Permyak `koi`, Saraiki `skr`.
 */
const MACROLANGUAGE: Readonly<Record<string, string>> = {
  arb: 'ara', // Standard Arabic → Arabic, ar
  azj: 'aze', // North Azerbaijani → Azerbaijani, az
  cmn: 'zho', // Mandarin Chinese → Chinese, zh
  npi: 'nep', // Nepali (individual language) → Nepali, ne
  pbu: 'pus', // Northern Pashto → Pashto, ps
  pes: 'fas', // Iranian Persian → Persian, fa
  plt: 'mlg', // Plateau Malagasy → Malagasy, mg
  swh: 'swa', // Swahili (individual language) → Swahili, sw
  uzn: 'uzb', // Northern Uzbek → Uzbek, uz
  zyb: 'zha', // Yongbei Zhuang → Zhuang, za
  // franc calls its Malay model `zlm`, "Malay (individual language)"; news in Malay is standard
  // Malay (`zsm`, which CLDR writes `ms`), so the reader's tag is `ms` (CLDR keeps `zlm` as is).
  zlm: 'msa',
};

/** `arb` → `ar`, `ron` → `ro`, `ckb` → `ckb` (no shorter code). */
export const tagForFranc = (code: string): string => {
  const macro = MACROLANGUAGE[code] ?? code;
  return iso6393To1[macro] ?? macro;
};

/**
 * ISO 639-2 codes added after 2006, which the W3C feed validator's list (and so readers of its
 * age) does not know: Montenegrin, N'Ko, Classical Syriac, Blissymbols, Standard Moroccan
 * Tamazight, "no linguistic content", Zaza.
 */
const NEWER_639_2 = new Set(['cnr', 'nqo', 'syc', 'zbl', 'zgh', 'zxx', 'zza']);
let feedPrimaries: ReadonlySet<string> | undefined;

/**
 * The primary language subtags feeds can carry: ISO 639-1 and ISO 639-2 codes. RSS 2.0's
 * `language` takes the W3C's list of ISO 639 codes, and XML's `xml:lang` (Atom) was defined by
 * RFC 3066, whose 3-letter subtags are ISO 639-2: the W3C feed validator refuses anything else
 * (`hms`, `ckb`: BCP 47 tags since RFC 4646, which took in ISO 639-3, yet refused).
 */
function feedPrimary(code: string): boolean {
  if (feedPrimaries === undefined) {
    const codes = new Set<string>();
    for (const map of [iso6393To1, iso6393To2B, iso6393To2T])
      for (const c of Object.values(map)) if (!NEWER_639_2.has(c)) codes.add(c);
    feedPrimaries = codes;
  }
  return feedPrimaries.has(code);
}

/**
 * RFC 5646 section 4.4.1: every implementation must hold a tag of at least 35 characters; a
 * longer one may be cut (a 27,000-character tag made jing, the Atom schema checker, overflow).
 */
export const MAX_TAG_LENGTH = 35;

/**
 * RFC 5646 section 2.2.8's grandfathered tags, in lower case: whole tags of an older registry
 * that the syntax of subtags does not describe (`en-GB-oed`: `oed` is no variant), which ICU
 * refuses though BCP 47 allows them. The `i-` ones are left out below: the W3C feed validator's
 * ISO 639 list, which RSS `language` is checked against, has no `i`.
 */
const GRANDFATHERED = new Set([
  'en-gb-oed',
  'i-ami',
  'i-bnn',
  'i-default',
  'i-enochian',
  'i-hak',
  'i-klingon',
  'i-lux',
  'i-mingo',
  'i-navajo',
  'i-pwn',
  'i-tao',
  'i-tay',
  'i-tsu',
  'sgn-be-fr',
  'sgn-be-nl',
  'sgn-ch-de',
  'art-lojban',
  'cel-gaulish',
  'no-bok',
  'no-nyn',
  'zh-guoyu',
  'zh-hakka',
  'zh-min',
  'zh-min-nan',
  'zh-xiang',
]);

/** Registry preferred values of the `i-` tags that have one a feed carries. */
const I_PREFERRED: Readonly<Record<string, string>> = {
  'i-klingon': 'tlh',
  'i-lux': 'lb',
  'i-navajo': 'nv',
};

/** Whether a BCP 47 tag can go into every feed format; what is wrong, or null. */
export function feedLanguageProblem(tag: string): string | null {
  if (tag.length > MAX_TAG_LENGTH)
    return `it is ${tag.length} characters long, over ${MAX_TAG_LENGTH} (RFC 5646 section 4.4.1)`;
  // A private-use tag (RFC 5646 section 2.2.7, `x-klingon`): the W3C validator's list has `x`.
  if (/^x(?:-[a-zA-Z0-9]{1,8})+$/i.test(tag)) return null;
  const lower = tag.toLowerCase();
  if (GRANDFATHERED.has(lower)) {
    if (!lower.startsWith('i-')) return null;
    const preferred = I_PREFERRED[lower];
    return `it is a grandfathered tag (RFC 5646 section 2.2.8), but RSS validators refuse a tag starting with "i" (it is no ISO 639 code); ${preferred === undefined ? 'write the language\'s ISO 639 code instead, or "und" (undetermined)' : `write its registered replacement "${preferred}" instead`}`;
  }
  if (!/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{1,8})*$/.test(tag))
    return 'it is not a BCP 47 language tag such as "ro" or "en-GB"';
  try {
    Intl.getCanonicalLocales(tag);
  } catch {
    return 'it is not a valid BCP 47 language tag (a subtag is repeated or misplaced)';
  }
  const primary = tag.split('-')[0]?.toLowerCase() ?? '';
  if (!feedPrimary(primary))
    return `"${primary}" is not an ISO 639-1 or ISO 639-2 language code, the only ones RSS and Atom validators accept`;
  return null;
}

/** Whether a tag can go into every feed format. */
export const isFeedLanguage = (tag: string): boolean => feedLanguageProblem(tag) === null;

/**
 * A tag in the case RFC 5646 section 2.1.1 gives it: lowercase, but for a region (two letters,
 * `RS`) in upper case and a script (four letters, `Latn`) in title case, where they follow the
 * language and no singleton. Tags are case-insensitive, yet a reader or a script comparing
 * `RO` with `ro` as strings sees two languages. A private-use part (from `x` on, or a whole
 * `x-` tag) is left as written: what it means is its users' agreement, not the registry's.
 */
export function canonicalTagCase(tag: string): string {
  const subtags = tag.split('-');
  const privateUse = subtags.findIndex((s) => s.toLowerCase() === 'x');
  let afterSingleton = false;
  return subtags
    .map((s, i) => {
      if (privateUse !== -1 && i >= privateUse) return s;
      if (s.length === 1) afterSingleton = true;
      if (i === 0 || afterSingleton) return s.toLowerCase();
      if (s.length === 2) return s.toUpperCase();
      if (s.length === 4 && /^[a-zA-Z]{4}$/.test(s))
        return s[0]!.toUpperCase() + s.slice(1).toLowerCase();
      return s.toLowerCase();
    })
    .join('-');
}
