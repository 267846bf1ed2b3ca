import type { Catalogue, Locale } from './core.ts';

/**
 * Which messages a page's browser code gets: `portal` (the public site's, about a sixth of the
 * whole) or `all`. Each is its own chunk per locale, loaded once and cached by the browser.
 */
export type CatalogueScope = 'portal' | 'all';

/** The portal catalogue serves the public pages; back office, sign-in and unknown pages get all messages. */
export function catalogueScope(routeId: string | null): CatalogueScope {
	return routeId?.startsWith('/(public)/') || routeId === '/(public)' ? 'portal' : 'all';
}

const LOADERS: Record<CatalogueScope, Record<Locale, () => Promise<{ default: Catalogue }>>> = {
	portal: { fr: () => import('./catalogues/portal-fr.ts'), en: () => import('./catalogues/portal-en.ts') },
	all: { fr: () => import('./catalogues/fr.ts'), en: () => import('./catalogues/en.ts') }
};

/** The messages of one locale and scope (a dynamic import: only that chunk is downloaded). */
export async function loadCatalogue(locale: Locale, scope: CatalogueScope): Promise<Catalogue> {
	return (await LOADERS[scope][locale]()).default;
}
