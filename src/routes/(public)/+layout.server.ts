import { loadPortalBrand } from '#server/http/portal-brand.ts';
import type { LayoutServerLoad } from './$types';

/**
 * Public pages are plain HTML: no JavaScript unless a page needs it (its map, the application
 * form's extra rows), which sets `csr = true` itself. Every page works without JavaScript, and
 * each stays within the JavaScript budget (tests/e2e/page-weight.e2e.ts, ARCHITECTURE.md).
 */
export const csr = false;

/**
 * The programme's look (colours, logo) and its source-code link, on every public page. A programme
 * suspended by the instance admin answers "programme suspended" (503) instead (portal-brand.ts).
 */
export const load: LayoutServerLoad = async ({ locals }) => loadPortalBrand(locals);
