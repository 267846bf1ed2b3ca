#!/usr/bin/env node
// `npm start`: builds when the sources changed since the last build, then serves
// soho with the demo programme seeded on an empty database (SOHO_SEED_DEMO=true
// unless set otherwise). The demo's commune outlines and INSEE attributes come from the
// reference data bundled in src/lib/server/geo/reference/ unless SOHO_GEO_FILE or
// SOHO_INSEE_DIR say otherwise: nothing outside the repository is needed.
import { spawnSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = [
	'src',
	'static',
	'messages',
	'package.json',
	'package-lock.json',
	'svelte.config.js',
	'vite.config.ts'
];
const STAMP = 'build/.source-hash';

function fingerprint() {
	const hash = createHash('sha256');
	const walk = (path) => {
		if (!existsSync(path)) return;
		const stat = statSync(path);
		if (stat.isDirectory()) {
			for (const name of readdirSync(path).sort()) walk(join(path, name));
		} else {
			hash.update(`${path}:${stat.size}:${stat.mtimeMs}\n`);
		}
	};
	SOURCES.forEach(walk);
	return hash.digest('hex');
}

const current = fingerprint();
const built = existsSync(STAMP) ? readFileSync(STAMP, 'utf8') : null;
if (!existsSync('build/handler.js') || built !== current) {
	console.log('soho: building the app (first start or sources changed)...');
	const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (result.status !== 0) {
		console.error('soho: the build failed.');
		process.exit(1);
	}
	writeFileSync(STAMP, current);
}

const child = spawn(process.execPath, ['scripts/serve.js'], {
	stdio: 'inherit',
	env: {
		...process.env,
		SOHO_SEED_DEMO: process.env.SOHO_SEED_DEMO ?? 'true'
	}
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
