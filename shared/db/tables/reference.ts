import type { JurisdictionLevel } from '../../jurisdictions/vocabulary.js';

export interface JurisdictionTable {
  code: string;
  name: string;
  full_name: string;
  level: JurisdictionLevel;
  parent_code: string | null;
  bureau_name: string;
}
