#!/usr/bin/env node
// Where the test time goes: reads the JSON reports `npm test` writes (test-results/vitest-*.json),
// prints the slowest files of each, and with --write records every file's seconds in
// tests/durations.json, which starts the longest files first (tests/test-order.ts).
//   node scripts/test-durations.js [--top N] [--write] [report.json…]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const REPORTS_DIR = 'test-results';
const DURATIONS_FILE = 'tests/durations.json';

/** Seconds per test file (path from the repository's root) in one Vitest JSON report. */
export function fileSeconds(reportPath) {
	const report = JSON.parse(readFileSync(reportPath, 'utf8'));
	const seconds = {};
	for (const file of report.testResults ?? []) {
		if (file.endTime == null || file.startTime == null) continue;
		seconds[relative(process.cwd(), file.name)] = Math.round((file.endTime - file.startTime) / 100) / 10;
	}
	return seconds;
}

/** Prints the `top` slowest files of a report, with their share of the summed file time. */
export function printSlowest(reportPath, top = 15) {
	if (!existsSync(reportPath)) return;
	const entries = Object.entries(fileSeconds(reportPath)).sort((a, b) => b[1] - a[1]);
	const total = entries.reduce((sum, [, seconds]) => sum + seconds, 0);
	console.log(`\nslowest files of ${reportPath} (${entries.length} files, ${Math.round(total)} s summed):`);
	for (const [file, seconds] of entries.slice(0, top))
		console.log(
			`${seconds.toFixed(1).padStart(8)} s ${((100 * seconds) / (total || 1)).toFixed(0).padStart(3)} %  ${file}`
		);
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const args = process.argv.slice(2);
	const topIndex = args.indexOf('--top');
	const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 15;
	const reports = args.filter(
		(arg, index) => arg.endsWith('.json') && (topIndex < 0 || index !== topIndex + 1)
	);
	const found = reports.length
		? reports
		: existsSync(REPORTS_DIR)
			? readdirSync(REPORTS_DIR)
					.filter((name) => /^vitest-.*\.json$/.test(name))
					.map((name) => join(REPORTS_DIR, name))
			: [];
	if (!found.length) {
		console.error(`no report: run npm test first (it writes ${REPORTS_DIR}/vitest-*.json)`);
		process.exit(1);
	}
	for (const report of found) printSlowest(report, top);
	if (args.includes('--write')) {
		const durations = existsSync(DURATIONS_FILE) ? JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) : {};
		for (const report of found) Object.assign(durations, fileSeconds(report));
		const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => a.localeCompare(b)));
		writeFileSync(DURATIONS_FILE, JSON.stringify(sorted, null, '\t') + '\n');
		console.log(`\n${DURATIONS_FILE}: ${Object.keys(sorted).length} files`);
	}
}
