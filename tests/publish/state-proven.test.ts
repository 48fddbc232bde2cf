import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as PublishState from '../../src/pipeline/publish-state.js';
import { gateProject } from '../gate/project.js';

/**
 * The publish state records the sha256 of each published file; `check` compares out/ with it
 * and `serve` sends it as the ETag. Fault S01 of the outside harness: the state saved with
 * wrong sha256s was not noticed by the build (check then reported the right files as changed,
 * and the build it advised did nothing). It is read back and compared once saved.
 */
const fault = vi.hoisted(() => ({ on: false }));

vi.mock('../../src/pipeline/publish-state.js', async (importOriginal) => {
  const real = await importOriginal<typeof PublishState>();
  return {
    ...real,
    savePublishState: (stateDir: string, state: PublishState.PublishState): boolean => {
      if (!fault.on) return real.savePublishState(stateDir, state);
      const files = Object.fromEntries(
        Object.entries(state.files).map(([name, f]) => [name, { ...f, sha256: '0'.repeat(64) }]),
      );
      return real.savePublishState(stateDir, { ...state, files });
    },
  };
});

afterEach(() => {
  fault.on = false;
});

describe('the publish state is proven once saved', () => {
  it('wrong sha256s fail the run with PUBLISH_STATE_MISMATCH, and the state is dropped', async () => {
    const g = await gateProject();
    fault.on = true;
    const r = await g.attempt();
    const codes = r.issues.map((i) => `${i.code} ${i.severity} ${i.file}`);
    expect(codes.sort()).toEqual(
      ['out/atom.xml', 'out/feed.json', 'out/rss.xml'].map(
        (f) => `PUBLISH_STATE_MISMATCH error ${f}`,
      ),
    );
    expect(existsSync(join(g.p.dir, '.feedkeeper', 'published.json'))).toBe(false);
  });
});
