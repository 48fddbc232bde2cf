import { isIP } from 'node:net';

/**
 * A host `serve` can listen on, as serve.host or --host give it: a host name or an IP address,
 * an IPv6 one with or without its URL brackets (`[::1]`). What is not one (`127.0.0.1:80`,
 * `http://127.0.0.1`) was accepted by every command and failed only when `serve` listened, as
 * "no such host name" (found by an outside try). Returns the host to listen on, or why not.
 */
export function listenHost(text: string): { host: string } | { why: string } {
  const host = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (host === '') return { why: 'it is empty' };
  if (isIP(host) !== 0 || HOST_NAME.test(host)) return { host };
  return {
    why: 'it is not a host name or an IP address (write no scheme, port or path: the port goes in serve.port or --port)',
  };
}

/** RFC 1123 host names: labels of letters, digits and hyphens, not starting or ending with one. */
const HOST_NAME =
  /^(?=.{1,253}\.?$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
