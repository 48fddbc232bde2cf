import { describe, expect, it } from 'vitest';
import { resolveConfig, ConfigError } from '../../src/config/load-config.js';
import { listenHost } from '../../src/model/listen-host.js';
import { BASE_CONFIG } from '../helpers.js';

/**
 * serve.host and --host: a host name or an IP address. Found by an outside try: `127.0.0.1:80`
 * and `http://127.0.0.1` passed every command's check and failed only when `serve` listened,
 * and `[::1]`, the usual way to write an IPv6 host, was "no such host name".
 */
describe('a host serve can listen on', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['::1', '::1'],
    ['[::1]', '::1'],
    [' localhost ', 'localhost'],
    ['news.example.org', 'news.example.org'],
  ])('%j listens on %j', (text, host) => {
    expect(listenHost(text)).toEqual({ host });
  });

  it.each(['', '127.0.0.1:80', 'http://127.0.0.1', '127.0.0.1/x', 'a b', '-x.org', '[127.0.0.1'])(
    '%j is refused, saying why',
    (text) => {
      expect('why' in listenHost(text)).toBe(true);
    },
  );

  it('serve.host is checked with the configuration, by every command', () => {
    const message = (host: string): string => {
      try {
        resolveConfig({ ...BASE_CONFIG, serve: { host } }, '/tmp/site');
      } catch (error) {
        if (error instanceof ConfigError) return error.message;
        throw error;
      }
      return '';
    };
    expect(message('127.0.0.1:80')).toContain('"serve.host": expected a host name or IP address');
    expect(message('127.0.0.1:80')).toContain('the port goes in serve.port');
    expect(message('[::1]')).toBe('');
  });
});
