/**
 * One line per request in the Common Log Format (the format of NCSA httpd, Apache's `common`
 * and nginx's `combined` without its last two fields), so that the usual tools read it:
 *   127.0.0.1 - - [29/Nov/2026:20:33:53 +0000] "GET /rss.xml HTTP/1.1" 200 5120
 * The request line is the client's, with quotes, backslashes and control characters escaped
 * (`\x22`, as nginx does), so a crafted target cannot forge a second line.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const two = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function clfTime(ms: number): string {
  const d = new Date(ms);
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

export const escapeLogField = (text: string): string =>
  text.replace(
    /[\u0000-\u001f"\\\u007f-\u009f]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );

export function clfLine(
  remote: string,
  time: string,
  method: string,
  target: string,
  httpVersion: string,
  status: number,
  bytes: number,
): string {
  const request = escapeLogField(`${method} ${target} HTTP/${httpVersion}`);
  return `${remote || '-'} - - [${time}] "${request}" ${status} ${bytes > 0 ? bytes : '-'}\n`;
}
