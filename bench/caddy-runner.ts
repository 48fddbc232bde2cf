import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accepts, freePort } from './nginx-runner.js';

/**
 * Debian's Caddy running deploy/Caddyfile against a given out/ on a free loopback port, plain
 * HTTP, no admin endpoint: the site address and `root` are the operator's two edits.
 */
export const caddyAvailable = (): boolean => spawnSync('caddy', ['version']).status === 0;

export interface RunningCaddy {
  readonly port: number;
  stop(): Promise<void>;
}

export function caddyfileFor(deployFile: string, outDir: string, port: number): string {
  let text = readFileSync(deployFile, 'utf8');
  const edit = (re: RegExp, by: string): void => {
    if (!re.test(text)) throw new Error(`deploy/Caddyfile: expected a line matching ${re}`);
    text = text.replace(re, by);
  };
  edit(/^news\.example\.org \{$/m, `http://127.0.0.1:${port} {`);
  edit(/^\troot \* \/srv\/news\/out$/m, `\troot * ${outDir}`);
  return `{\n\tadmin off\n}\n\n${text}`;
}

export async function startCaddy(deployFile: string, outDir: string): Promise<RunningCaddy> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-caddy-'));
  const config = join(dir, 'Caddyfile');
  writeFileSync(config, caddyfileFor(deployFile, outDir, port));
  const child = spawn('caddy', ['run', '--adapter', 'caddyfile', '--config', config], {
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + 15_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`caddy did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
