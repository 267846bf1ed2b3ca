#!/usr/bin/env node
// Fails when a module under src/ imports itself through other modules (an import loop).
// madge reads the TypeScript files (type-only imports count: a type import in the wrong direction
// is a loop in the design too) and resolves relative paths, `#server/*` / `#domain/*` (package.json
// "imports") and `$lib` (the paths SvelteKit writes into .svelte-kit/tsconfig.json).
// Svelte components are left out: madge cannot parse them.
import { existsSync } from 'node:fs';
import madge from 'madge';
import ts from 'typescript';

const root = process.cwd();
if (!existsSync('.svelte-kit/tsconfig.json')) {
	console.error('.svelte-kit/tsconfig.json is missing: run `npx svelte-kit sync` first.');
	process.exit(1);
}
const { config } = ts.readConfigFile('tsconfig.json', ts.sys.readFile);
const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
// SvelteKit's paths (`$lib`) are relative to .svelte-kit/; madge resolves them only from a baseUrl.
const tsConfig = { options: { ...options, baseUrl: options.pathsBasePath ?? root } };

const started = Date.now();
const result = await madge('src', {
	baseDir: root,
	fileExtensions: ['ts'],
	tsConfig,
	// `./$types` resolves to SvelteKit's generated types, which import the route back.
	dependencyFilter: (path) => !path.includes('/.svelte-kit/')
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const files = Object.keys(result.obj()).length;
const { skipped } = result.warnings();
if (skipped.length > 0) {
	console.error(`Imports madge could not resolve (fix the resolution, or the cycle check misses them):`);
	for (const name of skipped) console.error(`  ${name}`);
	process.exit(1);
}
const cycles = result.circular();
if (cycles.length > 0) {
	console.error(
		`${cycles.length} import loop(s) in src/ (each line: a module that imports the next, and the last imports the first):`
	);
	for (const cycle of cycles) console.error(`  ${cycle.join(' → ')}`);
	process.exit(1);
}
console.log(`No import loop in src/ (${files} TypeScript files, ${seconds} s).`);
