import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArchiveRecord } from '../../src/model/record.js';
import { REPO } from '../helpers.js';

/** The site and the sample's record that the page tests render (hostile characters in the site's texts). */
export const site = {
  title: 'Știri & <traduse>',
  description: 'Știri "traduse"',
  baseUrl: 'https://news.example.org',
  language: 'ro',
  author: { name: 'Redacția' },
};

export const record = JSON.parse(
  readFileSync(join(REPO, 'tests/fixtures/normalize/000_4b52bae062771df2.record.json'), 'utf8'),
) as ArchiveRecord;

/** The sample's article page, under out/. */
export const FILE = `articles/${record.slug}.html`;
