import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

/*
 * `soho stats km` and `soho stats moran` in a child process, on fixture files derived from R datasets,
 * compared with the figures R itself computed from the same files (tests/fixtures/stats/reference.R;
 * its verbatim output is in README.md there, its figures in references.json). The commands need no
 * database; each run still loads the CLI (~2–4 s), so the runs go concurrently.
 */
const fixtures = 'tests/fixtures/stats';
const workDir = mkdtempSync(join(tmpdir(), 'soho-cli-stats-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

type Run = { code: number | null; stdout: string; stderr: string; stderrLines: string[] };

function soho(args: string[], { lang = 'en' } = {}): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['bin/soho.js', ...args], {
			env: { ...process.env, SOHO_DATA_DIR: workDir, SOHO_LANG: lang, DATABASE_URL: '', NODE_ENV: 'test' }
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code) =>
			resolve({ code, stdout, stderr, stderrLines: stderr.split('\n').filter(Boolean) })
		);
	});
}

async function json(args: string[]) {
	const run = await soho([...args, '--json']);
	expect(run.stderr).toBe('');
	expect(run.code).toBe(0);
	return JSON.parse(run.stdout);
}

function fixture(name: string) {
	return join(fixtures, name);
}

function writeInput(name: string, text: string) {
	const path = join(workDir, name);
	writeFileSync(path, text);
	return path;
}

type RefRow = {
	group: string;
	time: number;
	n_risk: number;
	n_event: number;
	n_censor: number;
	survival: number;
	std_err: number | null;
	lower: number | null;
	upper: number | null;
};
type RefMedian = {
	group: string;
	n: number;
	n_event: number;
	median: number | null;
	median_lower: number | null;
	median_upper: number | null;
};
type RefSurvival = {
	rows: RefRow[];
	medians: RefMedian[];
	logrank?: { chisq: number; df: number; p: number; observed: number[]; expected: number[] };
};
type RefMoran = {
	I: number;
	expected: number;
	variance_randomisation: number;
	variance_normality: number;
	z_randomisation: number;
	p_randomisation: number;
	z_normality: number;
	p_normality: number;
	links: number;
	islands: number[] | number;
};
const references = JSON.parse(readFileSync(fixture('references.json'), 'utf8')) as Record<
	string,
	RefSurvival & RefMoran
>;

/** R's figures are stored with 15 significant digits: agreement to 1e-9 relative is far below any printed precision. */
function expectClose(ours: number | null, theirs: number | null, what: string) {
	if (theirs === null) {
		expect(ours, what).toBeNull();
		return;
	}
	expect(ours, what).not.toBeNull();
	expect(Math.abs((ours as number) - theirs), what).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(theirs)));
}

type OurGroup = {
	group: string | null;
	n: number;
	n_event: number;
	median: number | null;
	median_lower: number | null;
	median_upper: number | null;
	rows: Omit<RefRow, 'group'>[];
};

/** Every row of every curve, the medians and their limits, and the log-rank test, against R. */
function expectSameAsR(
	ours: {
		groups: OurGroup[];
		logrank?: { chisq: number; df: number; p: number; groups: { observed: number; expected: number }[] };
	},
	reference: RefSurvival
) {
	const groupNames = reference.medians.map((m) => m.group);
	expect(ours.groups.map((g) => g.group ?? 'all')).toEqual(groupNames);
	for (const group of ours.groups) {
		const name = group.group ?? 'all';
		const rows = reference.rows.filter((row) => row.group === name);
		expect(group.rows.map((row) => row.time)).toEqual(rows.map((row) => row.time));
		group.rows.forEach((row, i) => {
			const what = `${name} at time ${row.time}`;
			expect([row.n_risk, row.n_event, row.n_censor], what).toEqual([
				rows[i].n_risk,
				rows[i].n_event,
				rows[i].n_censor
			]);
			expectClose(row.survival, rows[i].survival, `${what}: survival`);
			expectClose(row.std_err, rows[i].std_err, `${what}: std_err`);
			expectClose(row.lower, rows[i].lower, `${what}: lower`);
			expectClose(row.upper, rows[i].upper, `${what}: upper`);
		});
		const median = reference.medians.find((m) => m.group === name)!;
		expect([group.n, group.n_event], name).toEqual([median.n, median.n_event]);
		expectClose(group.median, median.median, `${name}: median`);
		expectClose(group.median_lower, median.median_lower, `${name}: median lower limit`);
		expectClose(group.median_upper, median.median_upper, `${name}: median upper limit`);
	}
	if (reference.logrank) {
		const logrank = ours.logrank!;
		expectClose(logrank.chisq, reference.logrank.chisq, 'log-rank chi-square');
		expect(logrank.df).toBe(reference.logrank.df);
		expectClose(logrank.p, reference.logrank.p, 'log-rank p');
		logrank.groups.forEach((g, i) => {
			expect(g.observed).toBe(reference.logrank!.observed[i]);
			expectClose(g.expected, reference.logrank!.expected[i], `log-rank expected, group ${i + 1}`);
		});
	}
}

describe('soho stats km reproduces R survival (survfit, conf.type = "log", and survdiff)', () => {
	test.concurrent('aml by maintenance: every step, the medians and the log-rank test', async () => {
		const output = await json([
			'stats',
			'km',
			'--input',
			fixture('aml.csv'),
			'--time',
			'time',
			'--event',
			'status',
			'--group',
			'x'
		]);
		expect(output).toMatchObject({ conf_type: 'log', conf_level: 0.95 });
		expectSameAsR(output, references.aml);
		// The figures R prints (print(survfit), survdiff): medians 31 and 23, Chisq = 3.4, p = 0.06534.
		expect(output.groups.map((g: OurGroup) => g.median)).toEqual([31, 23]);
		expect(output.logrank.p.toPrecision(4)).toBe('0.06534');
	});

	test.concurrent('aml as one curve, whose median has both confidence limits', async () => {
		const output = await json([
			'stats',
			'km',
			'--input',
			fixture('aml.csv'),
			'--time',
			'time',
			'--event',
			'status'
		]);
		expectSameAsR(output, references.aml_all);
		expect(output.groups[0]).toMatchObject({ group: null, median: 27, median_lower: 18, median_upper: 45 });
		expect(output).not.toHaveProperty('logrank');
	});

	test.concurrent('lung by sex: a semicolon file, yes/no events, 228 patients with tied times', async () => {
		const output = await json([
			'stats',
			'km',
			'--input',
			fixture('lung.csv'),
			'--time',
			'time',
			'--event',
			'dead',
			'--group',
			'sex'
		]);
		// R orders the strata by factor level, alphabetical for text: female, then male; ours too.
		expectSameAsR(output, references.lung);
		expect(output.groups.map((g: OurGroup) => g.median)).toEqual([426, 270]);
	});

	test.concurrent('ovarian by treatment: true/false events, numeric groups', async () => {
		const output = await json([
			'stats',
			'km',
			'--input',
			fixture('ovarian.csv'),
			'--time',
			'futime',
			'--event',
			'fustat',
			'--group',
			'rx'
		]);
		expectSameAsR(output, references.ovarian);
	});

	test.concurrent('the other interval types: log-log (lung) and plain (ovarian)', async () => {
		const [logLog, plain] = await Promise.all([
			json([
				'stats',
				'km',
				'--input',
				fixture('lung.csv'),
				'--time',
				'time',
				'--event',
				'dead',
				'--group',
				'sex',
				'--conf-type',
				'log-log'
			]),
			json([
				'stats',
				'km',
				'--input',
				fixture('ovarian.csv'),
				'--time',
				'futime',
				'--event',
				'fustat',
				'--group',
				'rx',
				'--conf-type',
				'plain'
			])
		]);
		expect([logLog.conf_type, plain.conf_type]).toEqual(['log-log', 'plain']);
		expectSameAsR(logLog, references.lung_loglog);
		expectSameAsR(plain, references.ovarian_plain);
	});

	test.concurrent(
		'events and censorings at the same time: events first, the censored still at risk',
		async () => {
			const output = await json([
				'stats',
				'km',
				'--input',
				fixture('ties.csv'),
				'--time',
				'time',
				'--event',
				'event',
				'--group',
				'arm'
			]);
			expectSameAsR(output, references.ties);
			// The last subject of arm b dies: Ŝ = 0, its standard error and bounds are undefined (R: NaN, NA).
			expect(output.groups[1].rows.at(-1)).toMatchObject({
				survival: 0,
				std_err: null,
				lower: null,
				upper: null
			});
		}
	);

	test.concurrent(
		'all censored: survival stays 1 with zero error, no median; one group gives no log-rank test',
		async () => {
			const args = [
				'stats',
				'km',
				'--input',
				fixture('all-censored.csv'),
				'--time',
				'time',
				'--event',
				'event'
			];
			const output = await json(args);
			expectSameAsR(output, references.all_censored);
			expect(output.groups[0]).toMatchObject({
				n_event: 0,
				median: null,
				median_lower: null,
				median_upper: null
			});

			// R survdiff stops with "There is only 1 group"; we keep the curve and say why there is no test.
			const grouped = await json([...args, '--group', 'arm']);
			expect(grouped).toMatchObject({ logrank: null, logrank_unavailable: 'single_group' });
			expect(grouped.groups).toHaveLength(1);
			const human = await soho([...args, '--group', 'arm']);
			expect(human.code).toBe(0);
			expect(human.stdout).toContain('Log-rank test not computed: the group column holds a single group.');
			expect(human.stdout).toContain('Median survival: NA');
		}
	);

	test.concurrent(
		'the readable table shows the R columns, in French when the shell speaks French',
		async () => {
			const args = [
				'stats',
				'km',
				'--input',
				fixture('aml.csv'),
				'--time',
				'time',
				'--event',
				'status',
				'--group',
				'x'
			];
			const english = await soho(args);
			expect(english.code).toBe(0);
			expect(english.stdout).toContain(
				'time  n.risk  n.event  n.censor  survival  std.err  lower 95%  upper 95%'
			);
			expect(english.stdout).toMatch(/^ +9 +11 +1 +0 +0\.9091 +0\.0867 +0\.7541 +1\.0000$/m);
			expect(english.stdout).toContain('Chi-square = 3.3964 on 1 degrees of freedom, p = 0.06534');
			const french = await soho(args, { lang: 'fr' });
			expect(french.stdout).toContain('Groupe Maintained : 11 sujets, 7 événements');
			expect(french.stdout).toMatch(/^ +9 +11 +1 +0 +0,9091 +0,0867 +0,7541 +1,0000$/m);
		}
	);
});

describe('soho stats km explains bad input in one line and exits 1', () => {
	test.concurrent(
		'decimal commas and French flags (oui/non) from a French spreadsheet are read',
		async () => {
			const file = writeInput(
				'french.csv',
				'durée;parti\r\n1,5;oui\r\n2,25;non\r\n3;OUI\r\n3;Non\r\n4,5;1\r\n'
			);
			const output = await json(['stats', 'km', '--input', file, '--time', 'durée', '--event', 'parti']);
			const rows = output.groups[0].rows;
			expect(rows.map((row: RefRow) => [row.time, row.n_risk, row.n_event, row.n_censor])).toEqual([
				[1.5, 5, 1, 0],
				[2.25, 4, 0, 1],
				[3, 3, 1, 1],
				[4.5, 1, 1, 0]
			]);
			// Ŝ(3) = 4/5 · 2/3; the last subject's event brings it to 0.
			expect(rows[2].survival).toBeCloseTo(8 / 15, 14);
			expect(output.groups[0].median).toBe(4.5);
		}
	);

	test.concurrent('an event value that is not a flag names the row and the column', async () => {
		const file = writeInput('bad-event.csv', 'time,status\n5,1\n8,maybe\n');
		const run = await soho(['stats', 'km', '--input', file, '--time', 'time', '--event', 'status']);
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderrLines).toEqual([
			'soho: Row 3, column status: “maybe” is not an event flag (write 1 or 0, true or false, yes or no).'
		]);
	});

	test.concurrent('a missing column is named, with the columns the file has', async () => {
		const run = await soho([
			'stats',
			'km',
			'--input',
			fixture('aml.csv'),
			'--time',
			'days',
			'--event',
			'status'
		]);
		expect(run.code).toBe(1);
		expect(run.stderrLines).toEqual(['soho: No column “days” in the file. Columns: time, status, x.']);
		const french = await soho(
			[
				'stats',
				'km',
				'--input',
				fixture('aml.csv'),
				'--time',
				'time',
				'--event',
				'status',
				'--group',
				'bras'
			],
			{ lang: 'fr' }
		);
		expect(french.stderrLines).toEqual([
			'soho: Pas de colonne « bras » dans le fichier. Colonnes : time, status, x.'
		]);
	});

	test.concurrent('a negative or missing time, and an empty file, are refused', async () => {
		const negative = writeInput('negative.csv', 'time;event\n3;1\n-2;0\n');
		const run = await soho(['stats', 'km', '--input', negative, '--time', 'time', '--event', 'event']);
		expect(run.stderrLines).toEqual(['soho: Row 3, column time: “-2” is not a time (a number ≥ 0).']);
		const headerOnly = writeInput('header-only.csv', 'time,event\n');
		const empty = await soho(['stats', 'km', '--input', headerOnly, '--time', 'time', '--event', 'event']);
		expect(empty.code).toBe(1);
		expect(empty.stderrLines).toEqual([
			`soho: ${headerOnly} holds no data: at least one row (one area) is needed.`
		]);
		const nothing = writeInput('nothing.csv', '');
		const noFile = await soho(['stats', 'km', '--input', nothing, '--time', 'time', '--event', 'event']);
		expect(noFile.code).toBe(1);
		expect(noFile.stderrLines).toEqual([
			`soho: ${nothing} holds no data: at least one row (one area) is needed.`
		]);
	});

	test.concurrent('an unknown interval type is a usage error (exit 2)', async () => {
		const run = await soho([
			'stats',
			'km',
			'--input',
			fixture('aml.csv'),
			'--time',
			'time',
			'--event',
			'status',
			'--conf-type',
			'logit'
		]);
		expect(run.code).toBe(2);
		expect(run.stderrLines).toEqual(['soho: Invalid value for --conf-type: logit.']);
	});
});

function expectMoranSameAsR(output: Record<string, unknown>, reference: RefMoran) {
	for (const key of [
		'I',
		'expected',
		'variance_normality',
		'variance_randomisation',
		'z_normality',
		'p_normality',
		'z_randomisation',
		'p_randomisation'
	] as const) {
		expectClose(output[key] as number, reference[key], key);
	}
	expect(output.links).toBe(reference.links);
}

describe('soho stats moran reproduces spdep moran.test (style W, alternative greater)', () => {
	test.concurrent('Columbus crime with queen contiguity', async () => {
		const output = await json([
			'stats',
			'moran',
			'--geojson',
			fixture('columbus.geojson'),
			'--value',
			'CRIME'
		]);
		expectMoranSameAsR(output, references.columbus_queen);
		// As printed by spdep: Moran I statistic 0.500188557183, standard deviate 5.5893827, p-value 1.139391e-08.
		expect(output.I.toFixed(12)).toBe('0.500188557183');
		expect(output.z_randomisation.toFixed(7)).toBe('5.5893827');
		expect(output.p_randomisation.toPrecision(7)).toBe('1.139391e-8');
		expect(output).toMatchObject({
			weights: 'queen',
			style: 'W',
			alternative: 'greater',
			n: 49,
			islands: []
		});
	});

	test.concurrent('Columbus crime with rook contiguity', async () => {
		const output = await json([
			'stats',
			'moran',
			'--geojson',
			fixture('columbus.geojson'),
			'--value',
			'CRIME',
			'--weights',
			'rook'
		]);
		expectMoranSameAsR(output, references.columbus_rook);
		expect(output.links).toBe(200);
	});

	test.concurrent(
		'North Carolina SIDS rates: counties in degrees, MultiPolygons, queen and rook',
		async () => {
			const file = fixture('north-carolina-sids.geojson');
			const [queen, rook] = await Promise.all([
				json(['stats', 'moran', '--geojson', file, '--value', 'SIDR74']),
				json(['stats', 'moran', '--geojson', file, '--value', 'SIDR74', '--weights', 'rook'])
			]);
			expectMoranSameAsR(queen, references.sids_queen);
			expectMoranSameAsR(rook, references.sids_rook);
			expect([queen.links, rook.links]).toEqual([490, 462]);
			// As printed by spdep: standard deviate = 3.7800738, p-value = 7.839095e-05 (queen, randomisation).
			expect(queen.z_randomisation.toFixed(7)).toBe('3.7800738');
			expect(queen.p_randomisation.toPrecision(7)).toBe('0.00007839095');
		}
	);

	test.concurrent(
		'an island is kept with zero weights and left out of n (spdep zero.policy = TRUE)',
		async () => {
			const run = await soho([
				'stats',
				'moran',
				'--geojson',
				fixture('columbus-island.geojson'),
				'--value',
				'CRIME',
				'--json'
			]);
			expect(run.code).toBe(0);
			const output = JSON.parse(run.stdout);
			expectMoranSameAsR(output, references.columbus_island);
			expect(output).toMatchObject({ n_features: 50, n: 49, islands: ['#50'] });
			expect(run.stderrLines).toEqual([
				'1 area has no neighbour and is left out of n (zero weights, as spdep zero.policy = TRUE): #50'
			]);
		}
	);

	test.concurrent('the readable output gives both variances and the one-sided p-values', async () => {
		const run = await soho(['stats', 'moran', '--geojson', fixture('columbus.geojson'), '--value', 'CRIME']);
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/Moran's I +0\.500189 +0\.500189/);
		expect(run.stdout).toMatch(/p \(one-sided\) +1\.139e-8 +8\.994e-9/);
	});
});

describe('soho stats moran explains bad input in one line and exits 1', () => {
	const square = (x: number, y: number) => ({
		type: 'Polygon',
		coordinates: [
			[
				[x, y],
				[x + 1, y],
				[x + 1, y + 1],
				[x, y + 1],
				[x, y]
			]
		]
	});
	const grid = (values: unknown[]) =>
		JSON.stringify({
			type: 'FeatureCollection',
			features: values.map((value, i) => ({
				type: 'Feature',
				properties: { nom: `Zone ${i + 1}`, rate: value },
				geometry: square(i % 3, Math.floor(i / 3))
			}))
		});

	test.concurrent('constant values: zero variance is an error, never NaN', async () => {
		const file = writeInput('constant.geojson', grid([2, 2, 2, 2, 2, 2, 2, 2, 2]));
		const run = await soho(['stats', 'moran', '--geojson', file, '--value', 'rate', '--json']);
		expect(run.code).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderrLines).toEqual([
			'soho: Every area has the same rate: spatial autocorrelation is undefined (zero variance).'
		]);
	});

	test.concurrent('a feature without a numeric value is named', async () => {
		const file = writeInput('missing-value.geojson', grid([1, 2, 3, 4, null, 6, 7, 8, 9]));
		const run = await soho(['stats', 'moran', '--geojson', file, '--value', 'rate']);
		expect(run.code).toBe(1);
		expect(run.stderrLines).toEqual(['soho: Feature #5 (Zone 5): property rate is not a number (null).']);
		const text = writeInput('text-value.geojson', grid([1, 2, 3, 4, 5, 6, 7, 'n/a', 9]));
		const wrong = await soho(['stats', 'moran', '--geojson', text, '--value', 'rate']);
		expect(wrong.stderrLines).toEqual(['soho: Feature #8 (Zone 8): property rate is not a number ("n/a").']);
	});

	test.concurrent('too few areas with neighbours, an empty collection and unknown weights', async () => {
		const three = writeInput('three.geojson', grid([1, 2, 3]));
		const few = await soho(['stats', 'moran', '--geojson', three, '--value', 'rate', '--weights', 'rook']);
		expect(few.stderrLines).toEqual(["soho: Only 3 areas have a neighbour: Moran's test needs at least 4."]);
		const empty = writeInput('empty.geojson', grid([]));
		const none = await soho(['stats', 'moran', '--geojson', empty, '--value', 'rate']);
		expect(none.code).toBe(1);
		expect(none.stderrLines).toEqual([
			`soho: ${empty} holds no data: at least one row (one area) is needed.`
		]);
		const bishop = await soho([
			'stats',
			'moran',
			'--geojson',
			three,
			'--value',
			'rate',
			'--weights',
			'bishop'
		]);
		expect(bishop.code).toBe(2);
		expect(bishop.stderrLines).toEqual(['soho: Invalid value for --weights: bishop.']);
	});
});
