import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import fr from './catalogues/fr.ts';
import portalEn from './catalogues/portal-en.ts';
import portalFr from './catalogues/portal-fr.ts';

/** Public pages that run in the browser (`export const csr = true`), which use the portal catalogue there. */
function browserPages(): string[] {
	const pages: string[] = [];
	const walk = (dir: string) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (name === '+page.server.ts' && /export const csr = true/.test(readFileSync(path, 'utf8')))
				pages.push(join(dir, '+page.svelte'));
		}
	};
	walk('src/routes/(public)');
	return pages;
}

/** The files those pages and their frame import (components, $lib modules), transitively; server code excluded. */
function browserSources(): string[] {
	const queue = [
		...browserPages(),
		'src/routes/+layout.svelte',
		'src/routes/+error.svelte',
		'src/routes/(public)/+layout.svelte'
	];
	const seen = new Set<string>();
	while (queue.length > 0) {
		const file = queue.pop()!;
		if (seen.has(file) || !existsSync(file)) continue;
		seen.add(file);
		for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s+['"]([^'"]+)['"]/g)) {
			const spec = m[1];
			const path = spec.startsWith('$lib/')
				? `src/lib/${spec.slice(5)}`
				: spec.startsWith('.')
					? join(dirname(file), spec)
					: null;
			if (path && !path.includes('/server/') && !path.includes('/i18n/')) queue.push(path);
		}
	}
	return [...seen];
}

test('every message the public pages running in the browser use is in the portal catalogue of both languages', () => {
	const sources = browserSources();
	expect(sources.length).toBeGreaterThan(20);
	const used = new Set<string>();
	const prefixes = new Set<string>();
	for (const file of sources) {
		const code = readFileSync(file, 'utf8');
		for (const m of code.matchAll(/['"`]([a-z][a-z0-9]*_[a-z0-9_]+)['"`]/g)) if (m[1] in fr) used.add(m[1]);
		// `offer_kind_${kind}`, or a prefix handed to a helper ('case_timeline_'): the whole family must be there.
		for (const m of code.matchAll(/`([a-z][a-z0-9]*_[a-z0-9_]*)\$\{/g)) prefixes.add(m[1]);
		for (const m of code.matchAll(/['"]([a-z][a-z0-9]*_[a-z0-9_]*_)['"]/g)) prefixes.add(m[1]);
	}
	for (const prefix of prefixes) {
		// error_${code}: the error page falls back to a generic text for codes of other areas.
		if (prefix === 'error_') continue;
		for (const key of Object.keys(fr)) if (key.startsWith(prefix)) used.add(key);
	}
	expect(used.size).toBeGreaterThan(300);
	expect([...used].filter((key) => !(key in portalFr))).toEqual([]);
	expect([...used].filter((key) => !(key in portalEn))).toEqual([]);
});
