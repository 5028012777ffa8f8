/** Identifier checks: USCC (GB 32100), CCC certificate numbers, mainland mobile numbers, GB/T 2260 codes. */
export { checkCccCertificateNo, checkUscc, usccCheckCharacter, type CccCheck, type UsccCheck } from './identifiers.js';
export { cccCertificateNoSchema, districtCodeSchema, mobilePhoneSchema, usccSchema } from './schemas.js';
