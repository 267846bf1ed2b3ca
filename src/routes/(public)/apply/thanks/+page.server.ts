import type { PageServerLoad } from './$types';

/** A case reference as the service formats it (GERS-2026-0042); anything else is not echoed. */
const REFERENCE = /^[A-Z0-9]{1,8}-\d{4}-\d{4,6}$/;

export const load: PageServerLoad = ({ url }) => {
	const ref = url.searchParams.get('ref');
	return { reference: ref && REFERENCE.test(ref) ? ref : null };
};
