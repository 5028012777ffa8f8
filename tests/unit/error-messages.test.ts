import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { translateError } from '../../shared/i18n/index.js';

/**
 * Every message an error can carry to a reader is written in English at its source and translated by the one
 * catalogue: a DomainError message, a field issue's message or a schema refinement's message without a zh-CN line
 * would reach a Chinese reader in English. This reads them out of the source and checks each one translates.
 */
const root = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

const patterns = [
  /new DomainError\(\s*'[a-z_]+',\s*'([^']+)'/g,
  /invalidFields\(\{\s*field:\s*'[^']+',\s*message:\s*'([^']+)'/g,
  /addIssue\(\{[^}]*message:\s*'([^']+)'/g,
  /\.(?:refine|regex)\([^)]*?,\s*'([^']+)'\)/g,
  /\{ message: '([^']+)' \}/g,
];

const messages = new Set<string>();
for (const file of [...sources('services'), ...sources('shared')]) {
  const text = readFileSync(file, 'utf8');
  for (const p of patterns) for (const m of text.matchAll(p)) messages.add(m[1]!);
}

describe('error messages', () => {
  it('finds the messages in the source', () => {
    expect(messages.size).toBeGreaterThan(30);
  });

  it.each([...messages].sort())('“%s” has a zh-CN translation', (message) => {
    expect(translateError(message, 'zh-CN')).not.toBe(message);
  });
});
