#!/usr/bin/env node
// `npm test`: every check CI needs, in order, stopping at the first failure.
// Database tests run on PGlite, and again on PostgreSQL when TEST_DATABASE_URL is set;
// the verbose reporter names each suite with its database ([pglite], [postgres]) in the log.
// Each step prints its duration; each Vitest step also writes a JSON report to test-results/ and
// prints its slowest files (scripts/test-durations.js, which also records them for the test order).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { printSlowest } from './test-durations.js';

/** Vitest's JSON report of a step beside its usual output: test-results/vitest-<name>.json. */
const withReport = (name, reporter) => [
	`--reporter=${reporter}`,
	'--reporter=json',
	`--outputFile.json=test-results/vitest-${name}.json`
];

const steps = [
	['format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']],
	['lint', 'npx', ['eslint', '.']],
	['types', 'npx', ['svelte-kit', 'sync'], { quiet: true }],
	['import cycles', 'node', ['scripts/check-cycles.js']],
	[
		'types',
		'npx',
		['svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human']
	],
	['migration drift', 'node', ['scripts/check-migrations.js']],
	[
		'unit and integration tests',
		'npx',
		[
			'vitest',
			'run',
			'--project',
			'unit',
			'--project',
			'integration',
			...withReport('unit-integration', 'verbose')
		],
		{ report: 'test-results/vitest-unit-integration.json' }
	],
	['build', 'npx', ['vite', 'build', '--logLevel', 'warn']],
	[
		'end-to-end tests',
		'npx',
		['vitest', 'run', '--project', 'e2e', ...withReport('e2e', 'default')],
		{ report: 'test-results/vitest-e2e.json' }
	]
];

const only = process.argv.slice(2);
console.log(
	`soho tests: databases = PGlite${process.env.TEST_DATABASE_URL ? ' + PostgreSQL (TEST_DATABASE_URL)' : ' only (set TEST_DATABASE_URL to add PostgreSQL)'}`
);
for (const [name, command, args, { report } = {}] of steps) {
	if (only.length && !only.some((o) => name.startsWith(o))) continue;
	const started = Date.now();
	// A report left by an earlier run must not be read as this one's.
	if (report) rmSync(report, { force: true });
	console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	if (report) printSlowest(report);
	if (result.status !== 0) {
		console.error(`✖ ${name} failed (${seconds} s)`);
		process.exit(result.status ?? 1);
	}
	console.log(`✔ ${name} (${seconds} s)`);
}
console.log('\nAll checks passed.');
