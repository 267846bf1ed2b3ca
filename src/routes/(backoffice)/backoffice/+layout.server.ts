import { requireRouteAccess } from '#server/http/route-access.ts';
import type { LayoutServerLoad } from './$types';

/**
 * Who may open each back-office page is in the route access table (http/route-access.ts), which the
 * server hook applies to every request; checked here too so a refused page shows the app's error page.
 */
export const load: LayoutServerLoad = (event) => {
	requireRouteAccess(event);
	// A person of several programmes gets a switcher (the picker re-checks each choice).
	return { programmeCount: event.locals.programmes.length };
};
