import { data } from 'franc-min/data.js';
import { expressions } from 'franc-min/expressions.js';
import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/normalize/language.js';
import { canonicalTagCase, tagForFranc } from '../../src/normalize/language-tags.js';
import { article } from './normalize-helpers.js';

/** One news sentence per language whose franc answer is an individual member of a macrolanguage. */
const TEXTS = {
  ar: 'أعلنت الحكومة يوم الاثنين عن إجراءات جديدة لدعم الأسر ذات الدخل المنخفض، وقال الوزير إن الأموال ستصل إلى حساباتهم بحلول نهاية الشهر.',
  fa: 'دولت روز دوشنبه اقدامات تازه‌ای را برای حمایت از خانواده‌های کم‌درآمد اعلام کرد و وزیر گفت که پول تا پایان ماه به حساب آن‌ها خواهد رسید.',
  zh: '政府周一宣布了支持低收入家庭的新措施，部长表示，这笔钱将在月底前到达他们的账户。',
  uz: "Hukumat dushanba kuni kam ta'minlangan oilalarni qo'llab-quvvatlash uchun yangi choralarni e'lon qildi va vazir pullar oy oxirigacha ularning hisoblariga tushishini aytdi.",
  sw: 'Serikali ilitangaza hatua mpya siku ya Jumatatu kusaidia familia zenye kipato cha chini, na waziri alisema fedha hizo zitafika kwenye akaunti zao kabla ya mwisho wa mwezi.',
  ms: 'Perdana Menteri berkata kerajaan akan terus membantu rakyat yang memerlukan bantuan pada masa ini.',
};

/** Malay that franc-min scores a hair better as Indonesian (Malay within 1%). */
const MALAY_NEAR_TIE =
  'Perdana Menteri berkata kerajaan akan terus membantu rakyat yang memerlukan bantuan pada masa ini. Menteri Kewangan berkata peruntukan tambahan itu akan disalurkan melalui agensi kerajaan negeri dan persekutuan.';

describe('language tags readers expect', () => {
  it.each(Object.entries(TEXTS))('tags a %s text with the macrolanguage tag', (tag, text) => {
    expect(detectLanguage(text)).toBe(tag);
    expect(article(`Titlu\n\n${text}`, 'en').language).toBe(tag);
  });

  it('keeps Indonesian id (its own ISO 639-1 code, though a member of Malay)', () => {
    const text =
      'Pemerintah mengumumkan langkah-langkah baru pada hari Senin untuk membantu keluarga berpenghasilan rendah, dan menteri mengatakan uang itu akan masuk ke rekening mereka sebelum akhir bulan.';
    expect(detectLanguage(text)).toBe('id');
  });
});

describe('the site-language tie-break for macrolanguages', () => {
  it('gives a near tie to a Malay site, and to an Indonesian one', () => {
    expect(detectLanguage(MALAY_NEAR_TIE, 'ms')).toBe('ms');
    expect(detectLanguage(MALAY_NEAR_TIE, 'id')).toBe('id');
  });

  it("keeps the site's own tag for its language (zh-TW, ar-EG, fa-IR)", () => {
    expect(detectLanguage(TEXTS.zh, 'zh-TW')).toBe('zh-TW');
    expect(detectLanguage(TEXTS.ar, 'ar-EG')).toBe('ar-EG');
    expect(detectLanguage(TEXTS.fa, 'fa-IR')).toBe('fa-IR');
  });

  it('does not give a clear answer to the site language', () => {
    expect(detectLanguage(TEXTS.ar, 'fa')).toBe('ar');
    expect(detectLanguage(TEXTS.zh, 'ro')).toBe('zh');
  });
});

describe('tagForFranc', () => {
  // Every language franc-min can answer: its trigram models, and the scripts that are one language.
  const FRANC_LANGUAGES = [
    ...new Set([
      ...Object.values(data).flatMap((models) => Object.keys(models)),
      ...Object.keys(expressions).filter((key) => /^[a-z]{3}$/.test(key)),
    ]),
  ].sort();

  // Where we knowingly differ from CLDR: `tl` stays (CLDR's `fil` is a legacy alias, not a
  // macrolanguage); `zlm` is franc's name for its standard Malay model.
  const NOT_CLDR: Readonly<Record<string, string>> = { tgl: 'tl', zlm: 'ms' };

  it.each(FRANC_LANGUAGES)(
    'tags %s as CLDR canonicalizes it (Intl.getCanonicalLocales)',
    (code) => {
      expect(tagForFranc(code)).toBe(NOT_CLDR[code] ?? Intl.getCanonicalLocales(code)[0]);
    },
  );

  it('covers franc-min (guards the list above)', () => {
    expect(FRANC_LANGUAGES.length).toBeGreaterThan(70);
    expect(FRANC_LANGUAGES).toContain('arb');
    expect(FRANC_LANGUAGES).toContain('cmn');
  });
});

describe('the case of a language tag from front matter (RFC 5646 section 2.1.1)', () => {
  it.each([
    ['RO', 'ro'],
    ['EN-gb', 'en-GB'],
    ['sr-latn-rs', 'sr-Latn-RS'],
    ['ZH-HANT-tw', 'zh-Hant-TW'],
    ['es-419', 'es-419'],
    ['DE-ch-1901', 'de-CH-1901'],
    ['EN-us-U-CA-Gregory', 'en-US-u-ca-gregory'],
    // A private-use part is as its users agreed: left as written.
    ['EN-x-MyCo', 'en-x-MyCo'],
    ['AZ-latn-x-Latn', 'az-Latn-x-Latn'],
  ])('language: %s is archived as %s', (written, canonical) => {
    expect(canonicalTagCase(written)).toBe(canonical);
    expect(article(`---\nlanguage: ${written}\n---\nTitlu\n\nUn paragraf.\n`).language).toBe(
      canonical,
    );
  });

  it('leaves a private-use tag as it is', () => {
    expect(canonicalTagCase('x-Klingon')).toBe('x-Klingon');
    expect(canonicalTagCase('X-klingon')).toBe('X-klingon');
  });
});
