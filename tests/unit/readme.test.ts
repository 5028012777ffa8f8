import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { envSchema } from '../../shared/config/index.js';

/** The README is the operator's manual: every setting the process reads is documented there. */
const readme = readFileSync(path.resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('README', () => {
  it.each(Object.keys(envSchema.shape))('documents %s', (name) => {
    expect(readme).toContain(`\`${name}\``);
  });

  it('refers to no file outside the repository', () => {
    expect(readme).not.toMatch(/\]\(\.\.\//);
  });
});
