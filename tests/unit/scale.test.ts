import { describe, expect, it } from 'vitest';
import { inServiceMpeG, LoadOutOfRangeError, screenScaleReading, verificationMpeG } from '../../shared/metrology/index.js';

describe('JJG 539 MPE table', () => {
  it.each([
    // load g, e g, verification MPE, in-service MPE
    [0, 5, 2.5, 5],
    [215, 5, 2.5, 5],
    [2500, 5, 2.5, 5], // 500e exactly: still the first band
    [2505, 5, 5, 10], // just above 500e
    [10000, 5, 5, 10], // 2000e exactly
    [10005, 5, 7.5, 15],
    [15000, 5, 7.5, 15], // Max 15 kg
    [50000, 5, 7.5, 15], // 10000e exactly
    [500, 1, 0.5, 1],
    [501, 1, 1, 2],
    [3000, 2, 2, 4], // 1500e: second band
  ])('load %d g at e = %d g → verification ±%d g, in service ±%d g', (load, e, verification, inService) => {
    expect(verificationMpeG(load, e)).toBe(verification);
    expect(inServiceMpeG(load, e)).toBe(inService);
  });

  it('refuses loads above 10000e and negative loads', () => {
    expect(() => inServiceMpeG(50_005, 5)).toThrow(LoadOutOfRangeError);
    expect(() => inServiceMpeG(-1, 5)).toThrow(LoadOutOfRangeError);
    expect(() => inServiceMpeG(100, 0)).toThrow(RangeError);
  });
});

describe('screening a phone-as-weight check', () => {
  it('gives the worked example: 215 g phone shown as 232.5 g on a 15 kg / e = 5 g scale', () => {
    expect(screenScaleReading({ referenceMassG: 215, displayedMassG: 232.5, scaleIntervalG: 5 })).toEqual({
      deviationG: 17.5,
      mpeG: 5,
      ratio: 3.5,
      exceedsTolerance: true,
      favours: 'merchant',
    });
  });

  it.each([
    // reference, displayed, e, deviation, ratio, exceeds, favours
    [215, 215, undefined, 0, 0, false, 'none'],
    [215, 220, undefined, 5, 1, false, 'merchant'], // exactly at the MPE is within tolerance
    [215, 220.5, undefined, 5.5, 1.1, true, 'merchant'],
    [215, 209, undefined, -6, 1.2, true, 'consumer'],
    [500, 530, 2, 30, 15, true, 'merchant'], // 250e → MPE 2 g
    [1000, 1002, 2, 2, 1, false, 'merchant'], // 500e → MPE 1e = 2 g
    [1002, 1006, 2, 4, 1, false, 'merchant'], // 501e → MPE 2e = 4 g
  ] as const)('%d g shown as %d g (e = %s)', (ref, shown, e, deviation, ratio, exceeds, favours) => {
    const s = screenScaleReading({ referenceMassG: ref, displayedMassG: shown, scaleIntervalG: e });
    expect(s).toMatchObject({ deviationG: deviation, ratio, exceedsTolerance: exceeds, favours });
  });

  it('defaults to class III with e = 5 g when the nameplate is not given', () => {
    expect(screenScaleReading({ referenceMassG: 215, displayedMassG: 232.5 }).mpeG).toBe(5);
  });
});
