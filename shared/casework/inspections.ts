import { checkCccCertificateNo } from '../identifiers/index.js';
import { DEFAULT_INTERVAL_G, inServiceMpeG } from '../metrology/index.js';
import type { CccProblem, Verdict } from './vocabulary.js';

/** Verdicts of on-site inspections. Pure; the scale check uses the same JJG 539 in-service table as screening. */

export function scaleVerification(input: {
  scaleIntervalG?: number | undefined;
  loads: ReadonlyArray<{ loadG: number; indicationG: number }>;
}) {
  const e = input.scaleIntervalG ?? DEFAULT_INTERVAL_G;
  const results = input.loads.map(({ loadG, indicationG }) => {
    const errorG = Math.round((indicationG - loadG) * 1000) / 1000;
    const mpeG = inServiceMpeG(loadG, e);
    return { loadG, indicationG, errorG, mpeG, withinMpe: Math.abs(errorG) <= mpeG };
  });
  const verdict: Verdict = results.every((r) => r.withinMpe) ? 'pass' : 'fail';
  return { scaleIntervalG: e, results, verdict };
}

export function cccCheck(
  input: { certificateNo?: string | undefined; markPresent: boolean; conformityCertificatePresent: boolean },
  year: number,
) {
  const cert = input.certificateNo ? checkCccCertificateNo(input.certificateNo, year) : undefined;
  const problems: CccProblem[] = [];
  if (!input.markPresent) problems.push('no_ccc_mark');
  if (!input.conformityCertificatePresent) problems.push('no_conformity_certificate');
  if (cert === undefined) problems.push('no_certificate_number');
  else if (!cert.valid) problems.push('invalid_certificate_number');
  const verdict: Verdict = problems.length > 0 ? 'fail' : cert?.valid && cert.legacy ? 'inconclusive' : 'pass';
  return {
    certificateNo: cert?.valid ? cert.number : (input.certificateNo ?? null),
    legacyCertificate: !!(cert?.valid && cert.legacy),
    problems,
    verdict,
  };
}

export function productHazardCheck(input: { hazardsFound: readonly string[] }) {
  return { hazardsFound: [...input.hazardsFound], verdict: (input.hazardsFound.length > 0 ? 'fail' : 'pass') as Verdict };
}
