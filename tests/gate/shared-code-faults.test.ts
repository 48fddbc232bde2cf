import { afterEach, describe, it, vi } from 'vitest';
import type * as ReadRecord from '../../src/archive/read-record.js';
import type * as SourceLabel from '../../src/model/source-label.js';
import { expectRefused, gateProject } from './project.js';

/**
 * Faults in code the renderer once shared with the gate, each of the kind an outside
 * fault-injection try found published with exit 0 (RR01, SL01): reading a record, and the word
 * of the source credit. The gate reads record files and states the word on its own path
 * (pipeline/read-gate-record.ts, validate/credit-label.ts), so a fault in the renderer's copy
 * is on one side of the comparison only.
 */
const fault = vi.hoisted(() => ({ name: '' }));

vi.mock('../../src/archive/read-record.js', async (importOriginal) => {
  const real = await importOriginal<typeof ReadRecord>();
  return {
    ...real,
    readRecord: (
      ...args: Parameters<typeof real.readRecord>
    ): ReturnType<typeof real.readRecord> => {
      const read = real.readRecord(...args);
      // RR01: the last body block lost on reading.
      if (fault.name !== 'record read without its last block' || !('record' in read)) return read;
      return { record: { ...read.record, body: read.record.body.slice(0, -1) } };
    },
  };
});

vi.mock('../../src/model/source-label.js', async (importOriginal) => {
  const real = await importOriginal<typeof SourceLabel>();
  return {
    ...real,
    // SL01: Romanian credits labelled in English.
    sourceLabel: (language: string): string =>
      fault.name === 'Romanian credit word wrong' && language.startsWith('ro')
        ? 'Source'
        : real.sourceLabel(language),
  };
});

afterEach(() => {
  fault.name = '';
});

describe('faults in code the renderer shared with the gate are refused', () => {
  it.each([
    ['record read without its last block', ['ROUNDTRIP_MISMATCH']],
    ['Romanian credit word wrong', ['ROUNDTRIP_MISMATCH']],
  ])('%s', async (name, codes) => {
    const g = await gateProject();
    // A Romanian article with a credit, published by the run under test.
    g.p.write(
      'r.txt',
      'Știre nouă despre economie | Economie\n\nAceasta este o știre în limba română despre economia țării, scrisă pentru verificare.\n\nAl doilea paragraf are mai multe cuvinte românești, ca limba să fie recunoscută.\n\nSursa: www.digi24.ro\n',
    );
    fault.name = name;
    await expectRefused(g, codes);
  });
});
