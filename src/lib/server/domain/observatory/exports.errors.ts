import { defineError } from '../../errors.ts';

/** Files of the observatory are for programme staff and committee members. */
export const exportsForbidden = defineError('observatory_exports.forbidden', 'forbidden');
/** The research extract is for the programme's admins only. */
export const researchExtractForbidden = defineError('observatory_exports.research_forbidden', 'forbidden');
/** A file format the observatory does not write. */
export const exportsInvalidFormat = defineError('observatory_exports.invalid_format', 'invalid');
/** No installed household of the selection agreed to research. */
export const researchExtractNoConsent = defineError('observatory_exports.research_no_consent', 'invalid');
/** Fewer households than k: every one would be suppressed. */
export const researchExtractAllSuppressed = defineError(
	'observatory_exports.research_all_suppressed',
	'invalid'
);
