import type { PageServerLoad } from './$types';

/** A case reference as the service formats it (GERS-2026-0042); anything else is not echoed. */
const REFERENCE = /^[A-Z0-9]{1,8}-\d{4}-\d{4,6}$/;

/** One reference per programme applied to (the national portal sends one form to several). */
const MAX_REFERENCES = 10;

export const load: PageServerLoad = ({ url }) => {
	const references = url.searchParams
		.getAll('ref')
		.filter((ref) => REFERENCE.test(ref))
		.slice(0, MAX_REFERENCES);
	return { reference: references[0] ?? null, references };
};
