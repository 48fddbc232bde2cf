import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';

const messageOf = (file: string): string => {
  try {
    loadConfig(file);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
};

/** `--config` names a file: anything else is one message and exit 2, never a hang. */
describe('the configuration file itself', () => {
  it('a device is refused at once (reading /dev/zero never ended, growing 100 MB a second)', () => {
    expect(messageOf('/dev/zero')).toContain('is not a regular file');
  });

  it('a folder is named as a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-config-'));
    expect(messageOf(dir)).toContain('is a folder, not a configuration file');
  });

  it('a file far too big for a configuration is not read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-config-'));
    const file = join(dir, 'feedkeeper.config.json');
    writeFileSync(file, `{"pad": "${'x'.repeat(2 * 1024 * 1024)}"}`);
    expect(messageOf(file)).toMatch(/is \d+ bytes, over 1048576/);
  });

  // Found by an outside try: saved by Notepad, the file was "not valid JSON (Unexpected token
  // '\uFEFF')" with a hint about quotes and commas.
  const config = JSON.stringify({
    site: {
      title: 'T',
      baseUrl: 'https://news.example.org',
      language: 'en',
      author: { name: 'N' },
    },
  });
  it('UTF-8 with a byte-order mark is read as UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-config-'));
    const file = join(dir, 'feedkeeper.config.json');
    writeFileSync(file, `\uFEFF${config}`);
    expect(loadConfig(file).config.site.title).toBe('T');
  });

  it('UTF-16 is named, with what to do', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-config-'));
    const file = join(dir, 'feedkeeper.config.json');
    writeFileSync(file, Buffer.from(`\uFEFF${config}`, 'utf16le'));
    expect(messageOf(file)).toContain(
      'is UTF-16 text; feedkeeper reads its configuration as UTF-8',
    );
    expect(messageOf(file)).toContain('save it again as UTF-8');
  });
});
