import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * The floors each scenario is measured against (issue 15), each a whole Node process like a
 * build, run in turn with the scenario's runs so both see the same machine:
 *
 * - `list`: list the stored articles and stat each one, a plain loop: the least a scheduled
 *   run must do to learn what changed. A no-change build should cost little more.
 * - `write`: write N files of `bytes` bytes (a record's size) in folders of 1,000, then one
 *   syncfs(2) (`sync -f`), as a cold build makes its records durable: the least a cold build
 *   of N records must do.
 *
 * `node dist/bench/floors.js list <dir>` / `write <dir> <n> <bytes>`.
 */
function list(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) n += list(path);
    else {
      statSync(path);
      n++;
    }
  }
  return n;
}

function write(dir: string, n: number, bytes: number): number {
  const text = Buffer.alloc(bytes, 'a');
  for (let i = 0; i < n; i++) {
    const folder = join(dir, String(Math.floor(i / 1000)));
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${i}.json`), text);
  }
  spawnSync('sync', ['-f', dir], { stdio: 'ignore' });
  return n;
}

const [what, dir, n, bytes] = process.argv.slice(2);
if (what === 'list' && dir !== undefined) console.log(list(dir));
else if (what === 'write' && dir !== undefined) console.log(write(dir, Number(n), Number(bytes)));
else {
  console.error('usage: floors.js list <dir> | write <dir> <n> <bytes>');
  process.exit(2);
}
