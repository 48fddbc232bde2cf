import { iso6393To1 } from 'iso-639-3';

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
