import { describe, expect, it } from 'vitest';
import { checkCccCertificateNo, checkUscc, usccCheckCharacter } from '../../shared/identifiers/index.js';

describe('USCC check character (GB 32100)', () => {
  it.each([
    '91110108551385082Q', // a published company code
    '91350100M000100Y43', // the example of the standard
    '91410702MA44XW3R1J',
    '91410702MA00000030', // check character 0: (31 - 0) mod 31
    '91410702317449576K',
  ])('accepts %s', (code) => {
    expect(checkUscc(code)).toEqual({ valid: true, code });
  });

  it('normalises case and surrounding spaces', () => {
    expect(checkUscc(' 91110108551385082q ')).toEqual({ valid: true, code: '91110108551385082Q' });
  });

  it.each([
    ['91110108551385082A', 'check_character'],
    ['91350100M000100Y4A', 'check_character'],
    ['91410702MA00000031', 'check_character'],
    ['9111010855138508', 'format'], // too short
    ['91110108551385082QQ', 'format'], // too long
    ['91110108551385O82Q', 'format'], // O is not in the alphabet
    ['911101I8551385082Q', 'format'], // region code must be digits
    ['', 'format'],
  ] as const)('rejects %s (%s)', (code, reason) => {
    expect(checkUscc(code)).toEqual({ valid: false, reason });
  });

  it('computes the check character over the first 17 characters', () => {
    expect(usccCheckCharacter('91110108551385082')).toBe('Q');
  });
});

describe('CCC certificate number', () => {
  it.each([
    ['2025011119000001', { valid: true, legacy: false, firstIssueYear: 2025, bodyCode: '01', productCategory: '1119' }],
    ['2025 0111 1900 0001', { valid: true, legacy: false, number: '2025011119000001' }],
    ['200401160000', { valid: true, legacy: true }],
    ['2030011119000001', { valid: false }], // first issued in the future
    ['1999011119000001', { valid: false }],
    ['20250111190000', { valid: false }],
    ['ABCD011119000001', { valid: false }],
  ] as const)('%s', (input, expected) => {
    expect(checkCccCertificateNo(input, 2026)).toMatchObject(expected);
  });
});
