import { describe, expect, test } from 'vitest';
import { PERSON_STATUSES } from '../../db/schema/index.ts';
import {
	anonymise,
	GENERALISATION_LEVELS,
	generalise,
	QUASI_IDENTIFIERS,
	type AnonymisedRecord,
	type ResearchRecord
} from './research-extract.rules.ts';

/** A small seeded generator (mulberry32): the data sets are the same on every run. */
function random(seed: number) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Communes 32001…, five per canton, three cantons per arrondissement, in one or two départements. */
function commune(index: number, departements = 1): ResearchRecord {
	const dep = String(32 + (index % departements));
	const canton = Math.floor(index / 5);
	return {
		communeCode: `${dep}${String(index + 1).padStart(3, '0')}`,
		cantonCode: `${dep}${String(canton).padStart(2, '0')}`,
		arrondissementCode: `${dep}${Math.floor(canton / 3) + 1}`,
		departementCode: dep,
		age: null,
		status: null,
		householdSize: 1,
		installationYear: 2020,
		yearsInTerritory: 0
	};
}

function randomData(seed: number, n: number, communes: number, departements = 1): ResearchRecord[] {
	const next = random(seed);
	const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
	return Array.from({ length: n }, () => ({
		...commune(Math.floor(next() * communes), departements),
		age: next() < 0.05 ? null : 22 + Math.floor(next() * 45),
		status: next() < 0.05 ? null : pick(PERSON_STATUSES),
		householdSize: 1 + Math.floor(next() * next() * 7),
		installationYear: 2016 + Math.floor(next() * 11),
		yearsInTerritory: Math.floor(next() * 10)
	}));
}

/** The proof: groups the extract by its quasi-identifier columns and checks every class. */
function classSizes(rows: AnonymisedRecord<ResearchRecord>[]): number[] {
	const sizes = new Map<string, number>();
	for (const row of rows) {
		const key = JSON.stringify(QUASI_IDENTIFIERS.map((q) => row.values[q]));
		sizes.set(key, (sizes.get(key) ?? 0) + 1);
	}
	return [...sizes.values()];
}

function expectKAnonymous(records: ResearchRecord[], k: number) {
	const { rows, report } = anonymise(records, { k });
	for (const size of classSizes(rows)) expect(size).toBeGreaterThanOrEqual(k);
	expect(report.kept + report.suppressed).toBe(records.length);
	expect(report.kept).toBe(rows.length);
	// Suppression only removes what generalisation could not protect: at most k records unless
	// every attribute is merged.
	const allMerged = QUASI_IDENTIFIERS.every(
		(q) => report.levels[q] === GENERALISATION_LEVELS[q][GENERALISATION_LEVELS[q].length - 1]
	);
	if (!allMerged) expect(report.suppressed).toBeLessThanOrEqual(k);
	// The values written are the reported levels applied to the recorded values.
	for (const row of rows) {
		for (const q of QUASI_IDENTIFIERS) {
			const level = (GENERALISATION_LEVELS[q] as readonly string[]).indexOf(report.levels[q]);
			expect(row.values[q]).toBe(generalise(row.record, q, level));
		}
	}
	if (rows.length) expect(report.smallestClass).toBeGreaterThanOrEqual(k);
	return { rows, report };
}

describe('research extract: k-anonymity', () => {
	test.each([
		{ seed: 1, n: 200, communes: 30, k: 5 },
		{ seed: 2, n: 200, communes: 30, k: 2 },
		{ seed: 3, n: 500, communes: 60, k: 10 },
		{ seed: 4, n: 37, communes: 37, k: 5 },
		{ seed: 5, n: 1000, communes: 120, k: 5 },
		{ seed: 6, n: 60, communes: 20, k: 3 }
	])(
		'no equivalence class is smaller than k on random households (seed $seed, $n households, k = $k)',
		({ seed, n, communes, k }) => {
			expectKAnonymous(randomData(seed, n, communes), k);
		}
	);

	test('no equivalence class is smaller than k on 100 more random data sets, k from 1 to 12', () => {
		const next = random(2026);
		for (let run = 0; run < 100; run++) {
			const n = 1 + Math.floor(next() * 300);
			const k = 1 + Math.floor(next() * 12);
			const communes = 1 + Math.floor(next() * 80);
			const { report } = expectKAnonymous(randomData(1000 + run, n, communes, 1 + (run % 3)), k);
			expect(report.allSuppressed).toBe(n < k);
		}
	});

	test('households of two départements are merged up to the département, or beyond when needed', () => {
		const { report } = expectKAnonymous(randomData(7, 300, 80, 2), 5);
		expect(['departement', 'any', 'arrondissement', 'canton']).toContain(report.levels.geography);
	});

	test('adversarial: every household unique on every attribute still yields classes of at least k', () => {
		const records: ResearchRecord[] = Array.from({ length: 50 }, (_, i) => ({
			...commune(i, 3),
			age: 20 + i,
			status: PERSON_STATUSES[i % PERSON_STATUSES.length],
			householdSize: 1 + (i % 8),
			installationYear: 1990 + i,
			yearsInTerritory: i % 11
		}));
		const { report } = expectKAnonymous(records, 5);
		expect(report.kept).toBeGreaterThan(0);
	});

	test('adversarial: one household stands apart from a crowd of identical ones and is suppressed, not published', () => {
		const crowd: ResearchRecord[] = Array.from({ length: 20 }, () => ({
			...commune(0),
			age: 40,
			status: 'freelancer',
			householdSize: 2,
			installationYear: 2022,
			yearsInTerritory: 3
		}));
		const outlier: ResearchRecord = {
			...commune(14),
			age: 90,
			status: 'artist',
			householdSize: 9,
			installationYear: 2010,
			yearsInTerritory: 16
		};
		const { rows, report } = expectKAnonymous([...crowd, outlier], 5);
		// Suppressing one record costs less than generalising 20: the crowd keeps its exact values.
		expect(report.suppressed).toBe(1);
		expect(rows.every((row) => row.record !== outlier)).toBe(true);
		expect(report.levels).toEqual({
			geography: 'commune',
			age: 'age',
			status: 'status',
			householdSize: 'size',
			installationYear: 'year',
			yearsInTerritory: 'years'
		});
	});

	test('missing values stay "unknown" and are protected like the others', () => {
		const records = randomData(8, 120, 25).map((record, i) =>
			i % 4 === 0 ? { ...record, age: null, status: null, cantonCode: null } : record
		);
		expectKAnonymous(records, 5);
	});

	test('k = 1 publishes the records as recorded (identity), nothing suppressed', () => {
		const records = randomData(9, 80, 40);
		const { rows, report } = expectKAnonymous(records, 1);
		expect(report.suppressed).toBe(0);
		expect(rows.map((row) => row.record)).toEqual(records);
		expect(Object.values(report.levels)).toEqual(['commune', 'age', 'status', 'size', 'year', 'years']);
		expect(rows[0].values.geography).toBe(`commune ${records[0].communeCode}`);
		expect(rows[0].values.installationYear).toBe(String(records[0].installationYear));
	});

	test('k larger than the data suppresses everything and says so', () => {
		const records = randomData(10, 4, 3);
		const { rows, report } = anonymise(records, { k: 5 });
		expect(rows).toEqual([]);
		expect(report).toMatchObject({
			records: 4,
			kept: 0,
			suppressed: 4,
			allSuppressed: true,
			smallestClass: null
		});
	});

	test('k equal to the number of households keeps them all in one class', () => {
		const records = randomData(11, 6, 6);
		const { rows, report } = expectKAnonymous(records, 6);
		expect(rows).toHaveLength(6);
		expect(report.classes).toBe(1);
	});

	test('an invalid k is refused', () => {
		expect(() => anonymise([], { k: 0 })).toThrow(RangeError);
		expect(() => anonymise([], { k: 2.5 })).toThrow(RangeError);
	});

	test('hierarchies: commune → canton → arrondissement → département, age → 10 → 20-year bands, sizes capped, durations banded', () => {
		const record: ResearchRecord = {
			...commune(7),
			age: 37,
			status: 'founder',
			householdSize: 5,
			installationYear: 2023,
			yearsInTerritory: 3
		};
		expect([0, 1, 2, 3, 4].map((level) => generalise(record, 'geography', level))).toEqual([
			'commune 32008',
			'canton 3201',
			'arrondissement 321',
			'departement 32',
			'*'
		]);
		expect([0, 1, 2, 3].map((level) => generalise(record, 'age', level))).toEqual([
			'37',
			'30-39',
			'20-39',
			'*'
		]);
		expect([0, 1, 2].map((level) => generalise(record, 'status', level))).toEqual([
			'founder',
			'self_employed',
			'*'
		]);
		expect([0, 1, 2, 3, 4].map((level) => generalise(record, 'householdSize', level))).toEqual([
			'5',
			'4+',
			'3+',
			'2+',
			'*'
		]);
		expect([0, 1, 2].map((level) => generalise(record, 'installationYear', level))).toEqual([
			'2023',
			'2020-2024',
			'*'
		]);
		expect([0, 1, 2, 3].map((level) => generalise(record, 'yearsInTerritory', level))).toEqual([
			'3',
			'2-3',
			'0-4',
			'*'
		]);
	});
});
