import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Debian's nginx running deploy/nginx.conf against a given out/, on a free loopback port, as
 * the header comparison (tests/serve/nginx-parity.test.ts) and `npm run bench:serve` use it.
 * The server block is the file as shipped, with three edits an operator makes too: `root`, the
 * `listen` address, and (without libnginx-mod-http-brotli-static) no brotli_static line.
 */
export const NGINX = '/usr/sbin/nginx';
export const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';

export const nginxAvailable = (): boolean => existsSync(NGINX);

export interface RunningNginx {
  readonly port: number;
  readonly brotli: boolean;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (closed again; nginx binds it next). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** deploy/nginx.conf with the operator's edits for this run. */
export function serverBlock(
  deployConf: string,
  outDir: string,
  port: number,
  brotli: boolean,
): string {
  let text = readFileSync(deployConf, 'utf8');
  const edit = (re: RegExp, by: string): void => {
    if (!re.test(text)) throw new Error(`deploy/nginx.conf: expected a line matching ${re}`);
    text = text.replace(re, by);
  };
  edit(/^\s*root \/srv\/news\/out;$/m, `    root ${outDir};`);
  edit(/^\s*listen 80;$/m, `    listen 127.0.0.1:${port};`);
  edit(/^\s*listen \[::\]:80;\n/m, '');
  if (!brotli) edit(/^\s*brotli_static on;\n/m, '');
  return text;
}

export async function startNginx(
  deployConf: string,
  outDir: string,
  opts: { workers?: number; accessLog?: boolean } = {},
): Promise<RunningNginx> {
  const port = await freePort();
  const brotli = existsSync(BROTLI_MODULE);
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-nginx-'));
  for (const d of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'server.conf'), serverBlock(deployConf, outDir, port, brotli));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${brotli ? `load_module ${BROTLI_MODULE};\n` : ''}${
      // Run as root, nginx's workers would be "nobody", who cannot read a mkdtemp (0700) folder.
      process.getuid?.() === 0 ? 'user root;\n' : ''
    }daemon off;
worker_processes ${opts.workers ?? 1};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
    access_log ${opts.accessLog === false ? 'off' : `${dir}/access.log`};
    client_body_temp_path ${dir}/body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    include ${dir}/server.conf;
}
`,
  );
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      const log = existsSync(join(dir, 'error.log'))
        ? readFileSync(join(dir, 'error.log'), 'utf8')
        : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`nginx did not start: ${output}${log}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    brotli,
    stop: async () => {
      // SIGQUIT: graceful shutdown (nginx's own), then the folder goes.
      child.kill('SIGQUIT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
