import { catalogueScope, loadCatalogue } from '$lib/i18n/load.ts';
import type { LayoutLoad } from './$types';

/**
 * The messages of the request's locale. The server renders with all of them; the browser loads
 * only its page's scope (the public pages: the portal catalogue), so a visitor never downloads
 * the back office's texts nor the other language's.
 */
export const load: LayoutLoad = async ({ data, route }) => ({
	...data,
	messages: await loadCatalogue(data.locale, import.meta.env.SSR ? 'all' : catalogueScope(route.id))
});
