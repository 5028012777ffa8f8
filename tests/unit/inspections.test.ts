import { describe, expect, it } from 'vitest';
import { cccCheck, productHazardCheck, scaleVerification } from '../../shared/casework/index.js';
import { maskEmail, maskName, maskPhone } from '../../services/casework/index.js';
import { jurisdictionPrefix, withinJurisdiction } from '../../shared/access/index.js';
import { overseeingCodes } from '../../shared/staff/index.js';

describe('scale verification (JJG 539, in service)', () => {
  it.each([
    [[{ loadG: 215, indicationG: 220 }], 'pass'],
    [[{ loadG: 215, indicationG: 232.5 }], 'fail'],
    [
      [
        { loadG: 2500, indicationG: 2495 },
        { loadG: 10000, indicationG: 10010 },
      ],
      'pass',
    ],
    [
      [
        { loadG: 2500, indicationG: 2495 },
        { loadG: 10005, indicationG: 10025 },
      ],
      'fail',
    ],
  ] as const)('%j → %s', (loads, verdict) => {
    expect(scaleVerification({ loads }).verdict).toBe(verdict);
  });

  it('reports each load’s error and MPE', () => {
    expect(scaleVerification({ scaleIntervalG: 2, loads: [{ loadG: 1002, indicationG: 1006.5 }] }).results).toEqual([
      { loadG: 1002, indicationG: 1006.5, errorG: 4.5, mpeG: 4, withinMpe: false },
    ]);
  });
});

describe('CCC check', () => {
  it.each([
    [{ certificateNo: '2025011119000001', markPresent: true, conformityCertificatePresent: true }, 'pass', []],
    [{ certificateNo: '200401160000', markPresent: true, conformityCertificatePresent: true }, 'inconclusive', []],
    [{ certificateNo: '2025011119000001', markPresent: false, conformityCertificatePresent: true }, 'fail', ['no_ccc_mark']],
    [{ markPresent: true, conformityCertificatePresent: false }, 'fail', ['no_conformity_certificate', 'no_certificate_number']],
    [{ certificateNo: '123', markPresent: true, conformityCertificatePresent: true }, 'fail', ['invalid_certificate_number']],
  ] as const)('%j → %s', (input, verdict, problems) => {
    expect(cccCheck(input, 2026)).toMatchObject({ verdict, problems });
  });
});

describe('product hazard check', () => {
  it('fails when any hazard is found', () => {
    expect(productHazardCheck({ hazardsFound: [] }).verdict).toBe('pass');
    expect(productHazardCheck({ hazardsFound: ['small_parts'] }).verdict).toBe('fail');
  });
});

describe('jurisdiction subtree and masking', () => {
  it.each([
    ['410000', '410702', true],
    ['410700', '410702', true],
    ['410700', '410802', false],
    ['410702', '410702', true],
    ['410702', '410703', false],
    ['110000', '110105', true],
  ])('%s sees %s: %s', (staff, item, seen) => {
    expect(withinJurisdiction(staff, item)).toBe(seen);
  });

  // The regulators an alert about a division goes to are exactly those who see it.
  const regulatorCodes = ['410000', '410700', '410702', '410703', '410800', '110000', '110100', '110105'];
  it.each(['410702', '410700', '410802', '110105', '110100'])('the overseers of %s are the regulators who see it', (code) => {
    expect(regulatorCodes.filter((r) => overseeingCodes(code).includes(r)).sort()).toEqual(
      regulatorCodes.filter((r) => withinJurisdiction(r, code)).sort(),
    );
  });

  it('prefixes', () => {
    expect([jurisdictionPrefix('410000'), jurisdictionPrefix('410700'), jurisdictionPrefix('410702')]).toEqual(['41', '4107', '410702']);
  });

  it('masks contact details', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskEmail('consumer@example.com')).toBe('c***@example.com');
    expect(maskName('李女士')).toBe('李**');
    expect(maskName('王')).toBe('王*');
    expect(maskPhone(null)).toBeNull();
  });
});
