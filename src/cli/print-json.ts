/**
 * `--json` output: the same text as JSON.stringify(value, null, 2), written in 64 KB pieces.
 * A cold build of 100,000 articles lists 200,000 paths; building that report as one string on
 * top of the run's heap raised the peak by 100 MB.
 */
export function printJson(value: unknown, out: (chunk: string) => void = stdout): void {
  let pending = '';
  const write = (s: string): void => {
    pending += s;
    if (pending.length >= 65_536) {
      out(pending);
      pending = '';
    }
  };
  writeValue(value, '', write);
  out(`${pending}\n`);
}

const stdout = (chunk: string): void => void process.stdout.write(chunk);

function writeValue(value: unknown, indent: string, write: (s: string) => void): void {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return write('[]');
    write('[');
    value.forEach((v: unknown, i) => {
      write(`${i > 0 ? ',' : ''}\n${inner}`);
      // As JSON.stringify: undefined or a function inside an array is null.
      writeValue(v === undefined || typeof v === 'function' ? null : v, inner, write);
    });
    return write(`\n${indent}]`);
  }
  if (value !== null && typeof value === 'object' && !('toJSON' in value)) {
    const entries = Object.entries(value).filter(
      ([, v]) => v !== undefined && typeof v !== 'function',
    );
    if (entries.length === 0) return write('{}');
    write('{');
    entries.forEach(([k, v], i) => {
      write(`${i > 0 ? ',' : ''}\n${inner}${JSON.stringify(k)}: `);
      writeValue(v, inner, write);
    });
    return write(`\n${indent}}`);
  }
  write(JSON.stringify(value, null, 2)?.replaceAll('\n', `\n${indent}`) ?? 'null');
}
