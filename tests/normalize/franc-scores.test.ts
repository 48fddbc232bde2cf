import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { francAll } from 'franc-min';
import { describe, expect, it } from 'vitest';
import { francScores } from '../../src/normalize/franc-scores.js';
import { REPO, sampleBytes } from '../helpers.js';
import { EN_PARAGRAPH, FR_PARAGRAPH, RO_PARAGRAPH, TR_PARAGRAPH } from './normalize-helpers.js';

/**
 * francScores() must be franc-min's francAll(), number for number and in the same order: the
 * inverted index is only a faster way to the same sums. franc itself is the oracle here.
 */
const MIN_LENGTH = 40;

const PROSE = [
  RO_PARAGRAPH,
  EN_PARAGRAPH,
  FR_PARAGRAPH,
  TR_PARAGRAPH,
  'Die Bundesregierung hat am Montag neue Maßnahmen zur Unterstützung von Familien mit geringem Einkommen angekündigt; das Geld soll bis Ende des Monats überwiesen werden.',
  'El Gobierno anunció el lunes nuevas medidas para apoyar a las familias con bajos ingresos, y el ministro dijo que el dinero llegará a sus cuentas antes de fin de mes.',
  'O governo anunciou na segunda-feira novas medidas para apoiar as famílias de baixa renda, e o ministro disse que o dinheiro chegará às contas até o fim do mês.',
  'Il governo ha annunciato lunedì nuove misure per sostenere le famiglie a basso reddito e il ministro ha detto che il denaro arriverà sui conti entro la fine del mese.',
  'Rząd ogłosił w poniedziałek nowe środki wsparcia dla rodzin o niskich dochodach, a minister powiedział, że pieniądze trafią na konta do końca miesiąca.',
  'Правительство в понедельник объявило о новых мерах поддержки семей с низкими доходами, а министр заявил, что деньги поступят на счета до конца месяца.',
  'Уряд у понеділок оголосив нові заходи підтримки родин з низькими доходами, а міністр заявив, що гроші надійдуть на рахунки до кінця місяця.',
  'أعلنت الحكومة يوم الاثنين عن إجراءات جديدة لدعم الأسر ذات الدخل المنخفض، وقال الوزير إن الأموال ستصل إلى الحسابات بحلول نهاية الشهر.',
  'सरकार ने सोमवार को कम आय वाले परिवारों की सहायता के लिए नए उपायों की घोषणा की और मंत्री ने कहा कि पैसा महीने के अंत तक खातों में पहुंच जाएगा।',
  '政府は月曜日、低所得世帯を支援する新たな措置を発表し、大臣は月末までに資金が口座に届くと述べた。',
  '政府周一宣布了支持低收入家庭的新措施，部长表示资金将在月底前到账。这是今年第三次出台类似政策。',
  'ממשלת ישראל הודיעה ביום שני על צעדים חדשים לתמיכה במשפחות בעלות הכנסה נמוכה, והשר אמר שהכסף יגיע לחשבונות עד סוף החודש.',
  'Η κυβέρνηση ανακοίνωσε τη Δευτέρα νέα μέτρα στήριξης των οικογενειών με χαμηλό εισόδημα και ο υπουργός είπε ότι τα χρήματα θα φτάσουν μέχρι το τέλος του μήνα.',
];

/** Odd texts: digits only, punctuation, emoji, mixed scripts, lone surrogates, ties. */
const ODD = [
  '1234567890 1234567890 1234567890 1234567890 1234567890',
  '!!!??? ... --- *** ### !!!??? ... --- *** ### !!!??? ... ---',
  '🙂🙃😉 👨‍👩‍👧‍👦 🏳️‍🌈 🙂🙃😉 👨‍👩‍👧‍👦 🏳️‍🌈 🙂🙃😉 👨‍👩‍👧‍👦 🏳️‍🌈 🙂🙃😉',
  `Mixed: ${EN_PARAGRAPH.slice(0, 60)} Москва ${RO_PARAGRAPH.slice(0, 60)} 東京`,
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  'x \uD800 y \uDC00 z '.repeat(6),
  'İSTANBUL İZMİR ĞÜŞÖÇ İSTANBUL İZMİR ĞÜŞÖÇ İSTANBUL İZMİR ĞÜŞÖÇ',
  ' \t\n '.repeat(20) + 'a b',
  'the the the the the the the the the the the the the the the the',
];

function corpus(): string[] {
  const sample = sampleBytes().toString('utf8');
  const hostile = join(REPO, 'tests', 'fixtures', 'hostile');
  const fixtures = readdirSync(hostile)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(join(hostile, f), 'utf8'));
  // Windows of the sample at many lengths and offsets: each a different trigram profile.
  const windows: string[] = [];
  for (let start = 0; start < sample.length; start += 257)
    for (const length of [39, 40, 41, 80, 400, 2047, 2048, 5000])
      windows.push(sample.slice(start, start + length));
  return [sample, ...fixtures, ...PROSE, ...ODD, ...windows];
}

describe('francScores', () => {
  it('equals franc-min francAll on every text of the corpus, scores and order', () => {
    const texts = corpus();
    expect(texts.length).toBeGreaterThan(150);
    for (const text of texts) {
      const expected = francAll(text, { minLength: MIN_LENGTH });
      expect([text, francScores(text, MIN_LENGTH)]).toEqual([text, expected]);
    }
  });

  it('names the language of clear prose in Latin, Arabic and Japanese script', () => {
    const best = PROSE.map((t) => francScores(t, MIN_LENGTH)[0]?.[0]);
    expect(best.slice(0, 5)).toEqual(['ron', 'eng', 'fra', 'tur', 'deu']);
    expect(best[11]).toBe('arb');
    expect(best[13]).toBe('jpn');
  });

  it('says und for a text under the minimum length', () => {
    expect(francScores('Scurt.', MIN_LENGTH)).toEqual([['und', 1]]);
  });
});
