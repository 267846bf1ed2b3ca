import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What a page makes the browser download as JavaScript: its files and their gzipped size. */
export type JavaScriptWeight = { files: string[]; gzipBytes: number };

/** The budget of every public page (issue 14): gzipped JavaScript, entry scripts and all they import. */
export const PUBLIC_PAGE_JS_BUDGET_BYTES = 100 * 1024;

/**
 * The JavaScript a server-rendered page loads, measured from its HTML and the built client
 * (`build/client`): `<script src>`, `<link rel="modulepreload">`, the `import("…")` of SvelteKit's
 * inline start-up script and the route nodes it hydrates (`node_ids`), then every file those import
 * statically, each counted once, gzipped. Dynamic `import()` inside a chunk (a map library loaded
 * when a map is shown, the other route nodes listed by the app) is not counted: it is not loaded
 * by this page. The same walk as `javascriptShipped` in bench/portal.ts, plus script tags and
 * preloads, so a page that ships its code another way is still counted, plus the `startup` files
 * (paths under `clientDir`) when the page hydrates: what its start-up loads dynamically before
 * anything shows, such as the root layout's messages (src/lib/i18n/load.ts).
 */
export function javascriptLoaded(
	html: string,
	{ clientDir = 'build/client', startup = [] }: { clientDir?: string; startup?: string[] } = {}
): JavaScriptWeight {
	const queue: string[] = [];
	let hydrates = false;
	const local = (url: string) => {
		const path = url.replace(/^(?:https?:\/\/[^/]+)?\.{0,2}\/?/, '').split(/[?#]/)[0];
		if (path.endsWith('.js')) queue.push(join(clientDir, path));
	};
	for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) local(m[1]);
	for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
		const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
		if (href) local(href);
	}
	const inlineScripts = [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
		(m) => m[1]
	);
	for (const script of inlineScripts) {
		for (const m of script.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) local(m[1]);
		const nodeIds = /node_ids:\s*\[([\d,\s]*)\]/
			.exec(script)?.[1]
			.split(',')
			.map((n) => n.trim())
			.filter(Boolean);
		const nodesDir = join(clientDir, '_app/immutable/nodes');
		if (nodeIds?.length) hydrates = true;
		if (nodeIds?.length && existsSync(nodesDir)) {
			for (const name of readdirSync(nodesDir)) {
				if (name.endsWith('.js') && nodeIds.includes(name.split('.')[0])) queue.push(join(nodesDir, name));
			}
		}
	}
	// What a hydrating page's start-up imports dynamically (its messages): given by the caller.
	if (hydrates) for (const file of startup) queue.push(join(clientDir, file));
	const seen = new Set<string>();
	let gzipBytes = 0;
	while (queue.length > 0) {
		const path = queue.pop()!;
		if (seen.has(path)) continue;
		if (!existsSync(path)) throw new Error(`the page loads ${path}, which the build does not have`);
		seen.add(path);
		const code = readFileSync(path);
		gzipBytes += gzipSync(code).byteLength;
		// Static imports only: `import … from "./x.js"`, `export … from "./x.js"`, `import "./x.js"`.
		for (const m of code.toString('utf8').matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) {
			queue.push(join(dirname(path), m[1]));
		}
	}
	return { files: [...seen], gzipBytes };
}

/**
 * The built file of a client module (`src/lib/i18n/catalogues/portal-fr.ts` →
 * `_app/immutable/chunks/….js`), from the manifest Vite writes beside the client build.
 */
export function builtClientFile(
	module: string,
	manifest = '.svelte-kit/output/client/.vite/manifest.json'
): string {
	const entries = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, { file: string }>;
	const file = entries[module]?.file;
	if (!file) throw new Error(`${module} is not in the client build (${manifest})`);
	return file;
}
