import { describe, expect, it } from 'vitest';
import { serializeRecord } from '../../src/archive/serialize-record.js';
import { gateRecordOf } from '../../src/validate/gate-record.js';
import { makeRecords } from './records.js';

/** The gate's own reading of a record file (validate/gate-record.ts). */
describe("the gate's reading of a record file", () => {
  it("gives the file's values, every body block", () => {
    for (const r of makeRecords()) {
      const got = gateRecordOf(serializeRecord(r));
      expect(got).toEqual({ record: r });
    }
  });

  it('refuses what the record schema refuses, and a file that is not JSON', () => {
    const [r] = makeRecords();
    if (r === undefined) throw new Error('no record');
    expect(gateRecordOf('{"id": ')).toMatchObject({
      why: expect.stringMatching(/^is not valid JSON/),
    });
    expect(
      gateRecordOf(JSON.stringify({ ...r, body: [{ type: 'list', text: 'x' }] })),
    ).toMatchObject({ why: expect.stringContaining('"body.0.type"') });
    expect(gateRecordOf(JSON.stringify({ ...r, publishedAt: 'yesterday' }))).toMatchObject({
      why: expect.stringContaining('"publishedAt"'),
    });
  });
});
