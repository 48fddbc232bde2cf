import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { chooseCoding } from './accept-encoding.js';
import { clfLine, clfTime } from './access-log.js';
import { notModified } from './conditional.js';
import {
  FileCache,
  type Entry,
  type FileCacheOptions,
  type Lookup,
  type Representation,
} from './file-cache.js';
import { resolveTarget } from './resolve-target.js';

/**
 * `feedkeeper serve`: out/ over HTTP/1.1, with what feed readers rely on (README, "Serving and
 * deploying"): media types from the outputs table, strong ETags and Last-Modified, 304s,
 * precompressed gzip and brotli by Accept-Encoding, short Cache-Control, HEAD, 405 / 404 / 410,
 * nothing outside out/. The headers are built once per file (file-cache.ts); a request costs a
 * stat and a write.
 */
export interface ServeOptions extends FileCacheOptions {
  readonly outDir: string;
  readonly stateDir: string;
  readonly host: string;
  readonly port: number;
  /** One Common Log Format line per request; null for none (--quiet). */
  readonly log: ((line: string) => void) | null;
  /** How long SIGTERM waits for requests in flight before closing their connections. */
  readonly drainMs?: number;
  /** Slow clients: the headers must arrive within this (default 10 s)… */
  readonly headersTimeoutMs?: number;
  /** …the whole request within this (default 30 s)… */
  readonly requestTimeoutMs?: number;
  /** …and a connection with no traffic is closed after this (default 60 s). */
  readonly idleTimeoutMs?: number;
}

export interface RunningServer {
  readonly server: Server;
  /** The address it listens on (the port chosen when 0 was asked for). */
  readonly address: AddressInfo;
  /** Stop accepting, let requests in flight finish (up to drainMs), close every connection. */
  close(): Promise<void>;
}

const ALLOW = 'GET, HEAD';

const PLAIN: Record<number, string> = {
  301: 'Moved Permanently',
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  414: 'URI Too Long',
  500: 'Internal Server Error',
};

export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const cache = new FileCache(opts.outDir, opts.stateDir, opts);
  const log = opts.log;
  let closing = false;

  let lastSecond = -1;
  let lastTime = '';
  const now = (): string => {
    const ms = Date.now();
    const second = Math.floor(ms / 1000);
    if (second !== lastSecond) {
      lastSecond = second;
      lastTime = clfTime(ms);
    }
    return lastTime;
  };
  const logged = (req: IncomingMessage, status: number, bytes: number): void => {
    if (log)
      log(
        clfLine(
          req.socket.remoteAddress ?? '-',
          now(),
          req.method ?? '-',
          req.url ?? '-',
          req.httpVersion,
          status,
          bytes,
        ),
      );
  };

  const plain = (
    req: IncomingMessage,
    res: ServerResponse,
    status: number,
    extra: string[] = [],
  ): void => {
    const text = `${status} ${PLAIN[status] ?? ''}\n`;
    res.writeHead(status, [
      'Content-Type',
      'text/plain; charset=utf-8',
      'Content-Length',
      String(Buffer.byteLength(text)),
      'X-Content-Type-Options',
      'nosniff',
      ...extra,
      ...(closing ? ['Connection', 'close'] : []),
    ]);
    res.end(req.method === 'HEAD' ? undefined : text);
    logged(req, status, req.method === 'HEAD' ? 0 : text.length);
  };

  const send = (req: IncomingMessage, res: ServerResponse, entry: Entry, rel: string): void => {
    const headers = req.headers;
    const coding = chooseCoding(headers['accept-encoding'], {
      gzip: entry.gzip !== null,
      br: entry.br !== null,
    });
    const rep: Representation =
      (coding === 'br' ? entry.br : coding === 'gzip' ? entry.gzip : null) ?? entry.identity;
    // Conditional headers apply to a 2xx only (RFC 9110 section 13.2.1): a 410 is sent whole.
    if (
      entry.status === 200 &&
      notModified(
        headers['if-none-match'],
        headers['if-modified-since'],
        rep.etag,
        entry.lastModifiedSeconds,
      )
    ) {
      res.writeHead(304, closing ? [...rep.headers304, 'Connection', 'close'] : rep.headers304);
      res.end();
      logged(req, 304, 0);
      return;
    }
    res.writeHead(entry.status, closing ? [...rep.headers, 'Connection', 'close'] : rep.headers);
    if (req.method === 'HEAD') {
      res.end();
      logged(req, entry.status, 0);
      return;
    }
    if (rep.body !== null) {
      res.end(rep.body);
      logged(req, entry.status, rep.length);
      return;
    }
    // A large file, streamed. If it was replaced since its entry was built, its length may
    // differ: the connection is closed rather than sending other bytes under this ETag.
    const stream = createReadStream(rep.path, { start: 0, end: rep.length - 1 });
    stream.on('error', () => {
      cache.forget(rel);
      res.destroy();
    });
    stream.on('end', () => logged(req, entry.status, rep.length));
    stream.pipe(res);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, rel: string, found: Lookup): void => {
    if (found.kind === 'entry') send(req, res, found.entry, rel);
    else if (found.kind === 'folder') {
      // Like nginx and Caddy: a folder without its final slash is redirected to it, so that
      // the relative links of its index.html resolve.
      // Built from the checked path, not echoed from the target ("//host" would leave the site).
      const location = `/${rel.split('/').map(encodeURIComponent).join('/')}/`;
      plain(req, res, 301, ['Location', location]);
    } else plain(req, res, 404);
  };

  const server = createServer(
    {
      // Slow clients (RFC 9112 section 9.8 leaves it to the server): the headers within 10 s,
      // the whole request within 30 s, an idle keep-alive connection closed after 5 s.
      headersTimeout: opts.headersTimeoutMs ?? 10_000,
      requestTimeout: opts.requestTimeoutMs ?? 30_000,
      keepAliveTimeout: 5_000,
      // How often those two are checked (Node's default, 30 s, would let a slow client hold a
      // connection three times longer than asked).
      connectionsCheckingInterval: Math.min(1_000, opts.headersTimeoutMs ?? 1_000),
      maxHeaderSize: 16 * 1024,
    },
    (req, res) => {
      const method = req.method;
      if (method !== 'GET' && method !== 'HEAD') {
        // Drain and ignore a body; the answer does not depend on it.
        req.resume();
        plain(req, res, 405, ['Allow', ALLOW]);
        return;
      }
      const t = resolveTarget(req.url ?? '');
      if (t.kind === 'refused') {
        plain(req, res, t.status);
        return;
      }
      let found: Lookup | Promise<Lookup>;
      try {
        found = cache.lookup(t.path);
      } catch {
        plain(req, res, 500);
        return;
      }
      if (!(found instanceof Promise)) {
        answer(req, res, t.path, found);
        return;
      }
      found.then(
        (f) => answer(req, res, t.path, f),
        () => plain(req, res, 500),
      );
    },
  );
  // CONNECT (RFC 9110 section 9.3.6) never reaches the request handler: Node hands it to this
  // event and, without a listener, closes the connection with no answer and no log line. It is
  // a method like any other but GET and HEAD: 405, Allow, one log line.
  server.on('connect', (req: IncomingMessage, socket: Socket) => {
    socket.end(
      `HTTP/1.1 405 Method Not Allowed\r\nAllow: ${ALLOW}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
    logged(req, 405, 0);
  });
  // Idle sockets (a client that connects and sends nothing more, or stops reading) go after 60 s.
  server.setTimeout(opts.idleTimeoutMs ?? 60_000, (socket: Socket) => socket.destroy());
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // A malformed request line or header, headers too large, a timeout: answer if the socket
    // can still be written, then close it. The server goes on.
    if (socket.writable && !socket.writableEnded) {
      const status =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? '408 Request Timeout'
            : '400 Bad Request';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: opts.host, port: opts.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });

  let closed: Promise<void> | null = null;
  return {
    server,
    address: server.address() as AddressInfo,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        closing = true;
        // close() stops accepting and ends idle keep-alive connections; a connection with a
        // request in flight ends after its response (Connection: close is set above).
        // A keep-alive connection whose response was in flight becomes idle when it is sent:
        // close those as they turn idle, not after keepAliveTimeout.
        const idle = setInterval(() => server.closeIdleConnections(), 50);
        const all = setTimeout(() => server.closeAllConnections(), opts.drainMs ?? 10_000);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(all);
          resolve();
        });
        server.closeIdleConnections();
      })),
  };
}
