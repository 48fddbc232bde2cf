import { createHash } from 'node:crypto';
import type { Block } from '../model/record.js';

/**
 * What readers see of an article (title and body), hashed: the same article stored twice under
 * two names has the same fingerprint, whatever its bytes (line ends, BOM, front matter).
 */
export const fingerprintOf = (r: {
  readonly title: string;
  readonly body: readonly Block[];
}): string =>
  createHash('sha256')
    .update(JSON.stringify([r.title, r.body.map((b) => ({ type: b.type, text: b.text }))]))
    .digest('hex');
