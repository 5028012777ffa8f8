/** Legal metrology: JJG 539 maximum permissible errors of retail scales, for consumer screening and on-site checks. */
export {
  DEFAULT_INTERVAL_G,
  favourings,
  inServiceMpeG,
  LoadOutOfRangeError,
  screenScaleReading,
  verificationMpeG,
  type Favours,
  type ScaleScreening,
} from './mpe.js';
export { referencePhones } from './phones.js';
