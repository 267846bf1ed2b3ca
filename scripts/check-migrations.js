#!/usr/bin/env node
// Fails when the Drizzle schema and the committed SQL migrations disagree
// (someone changed a schema file without running `npm run db:generate`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('.git')) {
	console.log('migration drift check skipped: not a git checkout');
	process.exit(0);
}
const before = spawnSync('git', ['status', '--porcelain', 'src/lib/server/db/migrations'], {
	encoding: 'utf8'
}).stdout;
const generate = spawnSync('npx', ['drizzle-kit', 'generate', '--name', 'drift_check'], { encoding: 'utf8' });
if (generate.status !== 0) {
	console.error(generate.stdout, generate.stderr);
	process.exit(1);
}
const after = spawnSync('git', ['status', '--porcelain', 'src/lib/server/db/migrations'], {
	encoding: 'utf8'
}).stdout;
if (before !== after) {
	console.error(
		'The schema changed but no migration was generated. Run `npm run db:generate` and commit the result.'
	);
	spawnSync('git', ['checkout', '--', 'src/lib/server/db/migrations'], { stdio: 'inherit' });
	spawnSync('git', ['clean', '-fdq', 'src/lib/server/db/migrations'], { stdio: 'inherit' });
	process.exit(1);
}
console.log('Migrations match the schema.');
