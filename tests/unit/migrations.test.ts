import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';

describe('migrations', () => {
  const folder = path.resolve(import.meta.dirname, '../../migrations');
  const files = readdirSync(folder)
    .filter((f) => f !== 'index.ts' && f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .sort();

  it('are all listed in migrations/index.ts, in order', () => {
    expect(Object.keys(migrations)).toEqual(files);
  });

  it('are named YYYYMMDDHHMMSS_verb_noun', () => {
    for (const f of files) expect(f).toMatch(/^\d{14}_[a-z]+(_[a-z0-9]+)+$/);
  });
});
