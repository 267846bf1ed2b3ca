import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type RouteOnDisk = {
	/** SvelteKit's `event.route.id`, e.g. `/(backoffice)/backoffice/cases/[caseId]`. */
	id: string;
	kind: 'page' | 'endpoint';
	/** The URL path with its parameters unfilled (`/backoffice/cases/[caseId]`): groups removed. */
	path: string;
	/** How many layouts a page sits in, the root one included: its `__data.json` has one node more. */
	layouts: number;
	params: string[];
};

const LAYOUT_FILES = ['+layout.svelte', '+layout.server.ts', '+layout.ts'];

/** Every page and endpoint under `routesDir` (src/routes), found by walking the directory. */
export function listRoutes(routesDir = 'src/routes'): RouteOnDisk[] {
	const routes: RouteOnDisk[] = [];
	const walk = (dir: string, layouts: number) => {
		const entries = readdirSync(dir, { withFileTypes: true });
		const names = new Set(entries.map((entry) => entry.name));
		const here = dir === routesDir ? 1 : layouts + (LAYOUT_FILES.some((file) => names.has(file)) ? 1 : 0);
		const id = dir.slice(routesDir.length) || '/';
		const kind =
			names.has('+page.svelte') || names.has('+page.server.ts')
				? 'page'
				: names.has('+server.ts')
					? 'endpoint'
					: null;
		if (kind) {
			const path = id.replace(/\/\([^)]+\)/g, '') || '/';
			routes.push({ id, kind, path, layouts: here, params: [...id.matchAll(/\[(\w+)\]/g)].map((m) => m[1]) });
		}
		for (const entry of entries) if (entry.isDirectory()) walk(join(dir, entry.name), here);
	};
	if (!existsSync(routesDir)) throw new Error(`no routes directory at ${routesDir}`);
	walk(routesDir, 0);
	return routes.sort((a, b) => a.id.localeCompare(b.id));
}
