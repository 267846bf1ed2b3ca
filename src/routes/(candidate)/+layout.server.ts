import { loadPortalBrand } from '#server/http/portal-brand.ts';
import type { LayoutServerLoad } from './$types';

/**
 * The candidate's space: plain HTML pages with forms (no JavaScript needed), in the public
 * site's frame and colours. Who may open each page is in the route-access table; every page's
 * service checks again that the file is the actor's own.
 */
export const csr = false;

export const load: LayoutServerLoad = async ({ locals }) => loadPortalBrand(locals);
