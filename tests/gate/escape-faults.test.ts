import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Escape from '../../src/render/escape.js';
import { expectRefused, gateProject } from './project.js';

/**
 * Escaping faults that let a value change meaning (the outside fault harness, E02 and what it
 * stands for): a `"` left raw ends a double-quoted attribute early, a `<` left raw in text
 * opens an element, an `&` left raw starts a reference. The gate reads every page and feed
 * back and compares each value with the record's, so each is refused. A `'` left raw inside
 * `"…"` (E02 itself) changes nothing: HTML 5 (13.1.2.3, attribute value, double-quoted) and
 * XML 1.0 (AttValue, production 10) end such a value at `"` only, and `'` is not special in
 * text; it is published, and read back as the same value.
 */
const fault = vi.hoisted(() => ({ name: '' }));

const leaveRaw = (escape: (text: string) => string, raw: string) => (text: string) =>
  text
    .split(raw)
    .map((part) => escape(part))
    .join(raw);

vi.mock('../../src/render/escape.js', async (importOriginal) => {
  const real = await importOriginal<typeof Escape>();
  const markup = {
    'markup: " raw': leaveRaw(real.escapeMarkup, '"'),
    'markup: & raw': leaveRaw(real.escapeMarkup, '&'),
    'markup: < raw': leaveRaw(real.escapeMarkup, '<'),
    "markup: ' raw": leaveRaw(real.escapeMarkup, "'"),
  } as Record<string, (text: string) => string>;
  const xml = {
    'xml text: " raw': leaveRaw(real.escapeXmlText, '"'),
    'xml text: & raw': leaveRaw(real.escapeXmlText, '&'),
    'xml text: < raw': leaveRaw(real.escapeXmlText, '<'),
  } as Record<string, (text: string) => string>;
  return {
    ...real,
    escapeMarkup: (text: string): string => (markup[fault.name] ?? real.escapeMarkup)(text),
    escapeXmlText: (text: string): string => (xml[fault.name] ?? real.escapeXmlText)(text),
  };
});

afterEach(() => {
  fault.name = '';
});

/** Every character an escaping fault could leave raw, in a title, a tag and the body. */
const QUOTED =
  'Say "yes" & mean it: <b>not</b> bold, it\'s &copy2026 | Tech "A" & <B>\n\nA lede that says "quoted" & \'single\' <i>not</i> italic &amp; more.\n\nA second paragraph.\n';

describe('escaping faults that change a value are refused', () => {
  it.each([
    'markup: " raw',
    'markup: & raw',
    'markup: < raw',
    'xml text: " raw',
    'xml text: & raw',
    'xml text: < raw',
  ])('%s', async (name) => {
    const g = await gateProject();
    g.p.write('e.txt', QUOTED);
    fault.name = name;
    await expectRefused(g, []);
  });

  it("markup: ' raw inside double quotes is the same value, and is published", async () => {
    const g = await gateProject();
    g.p.write('e.txt', QUOTED);
    fault.name = "markup: ' raw";
    const r = await g.attempt();
    expect(r.issues).toEqual([]);
    expect(r.feeds?.published).toBe(true);
    // The fault took effect (escaped, the pages say it&#39;s), and is read back as the same text.
    expect(g.p.read('out/index.html')).toContain("it's");
  });
});
