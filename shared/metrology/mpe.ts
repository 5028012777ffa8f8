/**
 * JJG 539 maximum permissible errors for class III retail scales. The consumer's check compares with the
 * in-service MPE, twice the verification MPE. Loads and e are in grams.
 */

export const DEFAULT_INTERVAL_G = 5;

const verificationMpeInE: ReadonlyArray<{ upToE: number; mpeE: number }> = [
  { upToE: 500, mpeE: 0.5 },
  { upToE: 2000, mpeE: 1.0 },
  { upToE: 10000, mpeE: 1.5 },
];

export class LoadOutOfRangeError extends Error {
  override name = 'LoadOutOfRangeError';
}

export function verificationMpeG(loadG: number, intervalG: number): number {
  if (!(intervalG > 0)) throw new RangeError('scale interval e must be positive');
  if (loadG < 0) throw new LoadOutOfRangeError('load must not be negative');
  const m = loadG / intervalG;
  const band = verificationMpeInE.find((b) => m <= b.upToE);
  if (!band) throw new LoadOutOfRangeError(`load ${loadG} g is above 10000e for e = ${intervalG} g`);
  return band.mpeE * intervalG;
}

export function inServiceMpeG(loadG: number, intervalG: number): number {
  return 2 * verificationMpeG(loadG, intervalG);
}

/** In whose favour a scale reading errs. */
export const favourings = ['merchant', 'consumer', 'none'] as const;
export type Favours = (typeof favourings)[number];

export interface ScaleScreening {
  deviationG: number;
  mpeG: number;
  ratio: number;
  exceedsTolerance: boolean;
  favours: Favours;
}

const round = (n: number, places = 3) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * Screens one reading: a display above the true mass charges the consumer for goods not received,
 * so a positive deviation favours the merchant.
 */
export function screenScaleReading(input: {
  referenceMassG: number;
  displayedMassG: number;
  scaleIntervalG?: number | undefined;
}): ScaleScreening {
  const e = input.scaleIntervalG ?? DEFAULT_INTERVAL_G;
  const mpeG = inServiceMpeG(input.referenceMassG, e);
  const deviationG = round(input.displayedMassG - input.referenceMassG);
  const ratio = round(Math.abs(deviationG) / mpeG);
  return {
    deviationG,
    mpeG,
    ratio,
    exceedsTolerance: Math.abs(deviationG) > mpeG,
    favours: deviationG > 0 ? 'merchant' : deviationG < 0 ? 'consumer' : 'none',
  };
}
