import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runDocsDrawCheck } from '../support/sampling.js';
import { DrawError, drawInspectors, inspectorPseudonym, INSPECTORS_PER_TASK, seedCommitment } from '../../shared/sampling/index.js';

const SEED = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const roster = (n: number) => Array.from({ length: n }, (_, i) => `insp-${String(i).padStart(3, '0')}`);
const hexSeed = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));

describe('the draw', () => {
  it('is fixed by the seed and the task: known answers, computed independently (Python hmac) from the documented algorithm', () => {
    // A change here would make past published draws fail their check: the algorithm is versioned, never edited.
    const outcome = drawInspectors({ seed: SEED, taskId: 42, roster: roster(7), excluded: ['insp-003'] });
    expect(outcome).toEqual({ roster: roster(7), excluded: ['insp-003'], drawn: ['insp-001', 'insp-005'] });
    expect(drawInspectors({ seed: SEED, taskId: 1, roster: roster(20), excluded: [], count: 3 }).drawn).toEqual([
      'insp-012',
      'insp-006',
      'insp-016',
    ]);
    expect(drawInspectors({ seed: SEED, taskId: 42, roster: [...roster(7)].reverse(), excluded: ['insp-003'] }).drawn).toEqual(
      outcome.drawn,
    );
    expect(drawInspectors({ seed: SEED, taskId: 43, roster: roster(7), excluded: ['insp-003'] }).drawn).not.toEqual(outcome.drawn);
  });

  it('never draws an excluded inspector, always draws distinct roster members, and the same input draws the same', () => {
    fc.assert(
      fc.property(
        hexSeed,
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 0, maxLength: 40 }),
        fc.func(fc.boolean()),
        (seed, taskId, ids, isExcluded) => {
          const excluded = ids.filter((id) => isExcluded(id));
          const eligible = ids.length - excluded.length;
          if (eligible < INSPECTORS_PER_TASK) {
            expect(() => drawInspectors({ seed, taskId, roster: ids, excluded })).toThrow(DrawError);
            return;
          }
          const a = drawInspectors({ seed, taskId, roster: ids, excluded });
          expect(a.drawn).toHaveLength(INSPECTORS_PER_TASK);
          expect(new Set(a.drawn).size).toBe(a.drawn.length);
          for (const id of a.drawn) {
            expect(ids).toContain(id);
            expect(excluded).not.toContain(id);
          }
          expect(drawInspectors({ seed, taskId, roster: [...ids].reverse(), excluded }).drawn).toEqual(a.drawn);
        },
      ),
      { numRuns: 500 },
    );
  });

  it.each([
    { rosterSize: 0, excluded: 0, available: 0 },
    { rosterSize: 1, excluded: 0, available: 1 },
    { rosterSize: 3, excluded: 2, available: 1 },
    { rosterSize: 2, excluded: 2, available: 0 },
  ])('refuses clearly with $rosterSize on the roster and $excluded excluded', ({ rosterSize, excluded, available }) => {
    const ids = roster(rosterSize);
    let error: unknown;
    try {
      drawInspectors({ seed: SEED, taskId: 1, roster: ids, excluded: ids.slice(0, excluded) });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DrawError);
    expect(error).toMatchObject({ needed: 2, available });
    expect((error as Error).message).toBe(
      `${available} eligible inspector(s) (${rosterSize} on the roster, ${excluded} with a declared conflict); 2 needed`,
    );
  });

  it.each([
    { rosterSize: 2, excluded: 0 },
    { rosterSize: 3, excluded: 1 },
    { rosterSize: 12, excluded: 10 },
  ])('draws exactly the eligible ones when only two are left ($rosterSize, $excluded excluded)', ({ rosterSize, excluded }) => {
    const ids = roster(rosterSize);
    const { drawn } = drawInspectors({ seed: SEED, taskId: 9, roster: ids, excluded: ids.slice(0, excluded) });
    expect([...drawn].sort()).toEqual(ids.slice(excluded));
  });

  it('gives every inspector the same chance (chi-square over 6000 tasks, deterministic)', () => {
    const ids = roster(6);
    const counts = new Map(ids.map((id) => [id, 0]));
    for (let taskId = 1; taskId <= 6000; taskId++) {
      for (const id of drawInspectors({ seed: SEED, taskId, roster: ids, excluded: [] }).drawn) counts.set(id, counts.get(id)! + 1);
    }
    const expected = (6000 * 2) / 6;
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(20.5); // 5 degrees of freedom, p = 0.001
  });

  it('rejects malformed seeds', () => {
    expect(() => drawInspectors({ seed: 'abc', taskId: 1, roster: roster(3), excluded: [] })).toThrow(RangeError);
    expect(() => seedCommitment(SEED.toUpperCase())).toThrow(RangeError);
  });

  it('commits to the seed bytes with SHA-256', () => {
    expect(seedCommitment(SEED)).toBe(createHash('sha256').update(Buffer.from(SEED, 'hex')).digest('hex'));
    expect(seedCommitment(SEED)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives inspectors per-campaign pseudonyms that the seed does not reveal', () => {
    const a = inspectorPseudonym('server-secret', 1, 7);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(inspectorPseudonym('server-secret', 1, 7)).toBe(a);
    expect(inspectorPseudonym('server-secret', 2, 7)).not.toBe(a);
    expect(inspectorPseudonym('another-secret', 1, 7)).not.toBe(a);
  });
});

describe('the check snippet in docs/sampling-draw.md', () => {
  function publishedDraw(seed: string, tasks: Array<{ taskId: number; roster: string[]; excluded: string[] }>) {
    return {
      seedCommitment: seedCommitment(seed),
      seed,
      algorithm: 'hmac-sha256-rejection-v1',
      inspectorsPerTask: 2,
      tasks: tasks.map((t) => {
        const outcome = drawInspectors({ seed, ...t });
        return { taskId: t.taskId, rosterSize: outcome.roster.length, excludedCount: outcome.excluded.length, ...outcome };
      }),
    };
  }
  const run = runDocsDrawCheck;

  it('is in the docs and needs nothing but node:crypto and node:fs', () => {
    const docs = readFileSync(path.resolve(import.meta.dirname, '../../docs/sampling-draw.md'), 'utf8');
    const imports = [...(/```js\n([\s\S]*?)```/.exec(docs)?.[1] ?? '').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    expect(imports).toEqual(['node:crypto', 'node:fs']);
  });

  it('recomputes draws made by the system, over many seeds and rosters', () => {
    fc.assert(
      fc.property(
        hexSeed,
        fc.array(
          fc.record({
            taskId: fc.integer({ min: 1, max: 99_999 }),
            size: fc.integer({ min: 2, max: 30 }),
            excluded: fc.integer({ min: 0, max: 5 }),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (seed, specs) => {
          const tasks = specs.map((s) => {
            const ids = Array.from({ length: s.size + s.excluded }, (_, i) =>
              createHash('sha256').update(`${s.taskId}:${i}`).digest('hex').slice(0, 16),
            );
            return { taskId: s.taskId, roster: ids, excluded: ids.slice(0, s.excluded) };
          });
          const result = run(publishedDraw(seed, tasks));
          expect(result.out).not.toContain('FAIL');
          expect(result.code).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('fails a draw whose seed, drawn inspectors or roster were changed', () => {
    const ids = roster(9);
    const draw = publishedDraw(SEED, [{ taskId: 5, roster: ids, excluded: ['insp-004'] }]);
    expect(run(draw).code).toBe(0);
    expect(run({ ...draw, seed: SEED.replace('00', '01') }).out).toContain('FAIL the seed matches the commitment');
    const task = draw.tasks[0]!;
    const other = ids.find((id) => !task.drawn.includes(id) && id !== 'insp-004')!;
    expect(run({ ...draw, tasks: [{ ...task, drawn: [task.drawn[0], other] }] }).code).toBe(1);
    expect(run({ ...draw, tasks: [{ ...task, excluded: [] }] }).code).toBe(1);
  });
});
