import { expect, test } from 'vitest';
import { describeEachDb } from '../../db/db.test-utils.ts';
import { casesTable } from '../../db/schema/index.ts';
import {
	createObservatoryCache,
	observatoryCacheKey,
	type ObservatoryCacheKey
} from './observatory-cache.ts';
import { observatoryViewerOf } from './observatory.context.ts';
import { computeObservatorySections } from './observatory-report.service.ts';
import { getObservatorySection } from './observatory.service.ts';
import { seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';

const NOW = new Date('2026-11-26T09:00:00Z');
const KEY: ObservatoryCacheKey = {
	programmeId: 'prg_a',
	section: 'flows',
	filters: { sector: 'Santé', from: 2020 },
	viewerKind: 'committee',
	version: 3
};

test('the same filters in another order, or with an unset filter, read the same entry', () => {
	expect(observatoryCacheKey({ ...KEY, filters: { from: 2020, sector: 'Santé', status: undefined } })).toBe(
		observatoryCacheKey(KEY)
	);
});

test('another version, reader kind, section, programme or filter misses', () => {
	const cache = createObservatoryCache();
	cache.set(KEY, 'figures', 0);
	expect(cache.get(KEY, 0)).toBe('figures');
	expect(cache.get({ ...KEY, version: 4 }, 0)).toBeUndefined();
	expect(cache.get({ ...KEY, viewerKind: 'staff' }, 0)).toBeUndefined();
	expect(cache.get({ ...KEY, section: 'funnel' }, 0)).toBeUndefined();
	expect(cache.get({ ...KEY, programmeId: 'prg_b' }, 0)).toBeUndefined();
	expect(cache.get({ ...KEY, filters: { sector: 'Santé' } }, 0)).toBeUndefined();
});

test('an entry older than the maximum age is not read back', () => {
	const cache = createObservatoryCache({ maxAgeMs: 1000 });
	cache.set(KEY, 'figures', 10_000);
	expect(cache.get(KEY, 11_000)).toBe('figures');
	expect(cache.get(KEY, 11_001)).toBeUndefined();
	expect(cache.size()).toBe(0);
});

test('past the maximum number of entries, the least recently read goes first', () => {
	const cache = createObservatoryCache({ maxEntries: 2 });
	cache.set({ ...KEY, section: 'a' }, 1, 0);
	cache.set({ ...KEY, section: 'b' }, 2, 0);
	expect(cache.get({ ...KEY, section: 'a' }, 0)).toBe(1);
	cache.set({ ...KEY, section: 'c' }, 3, 0);
	expect(cache.size()).toBe(2);
	expect(cache.get({ ...KEY, section: 'b' }, 0)).toBeUndefined();
	expect(cache.get({ ...KEY, section: 'a' }, 0)).toBe(1);
	expect(cache.get({ ...KEY, section: 'c' }, 0)).toBe(3);
});

const HOUSEHOLDS: TestHousehold[] = [
	{ contact: '2024-01-10', stages: { qualified: '2024-01-20' }, installedOn: '2024-06-01', commune: '32013' },
	{ contact: '2025-01-01', stages: { qualified: '2025-01-11', abandoned: '2025-04-01' } },
	{ source: 'fair', contact: '2025-06-01' }
];

describeEachDb('observatory: cached sections', (ctx) => {
	test('a cached section equals the computed one, and a new data version reads the figures after a write', async () => {
		const { actors } = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const viewer = observatoryViewerOf(actors.admin);
		const store = createObservatoryCache();
		const first = await computeObservatorySections(
			{ viewer },
			{ db: ctx.db, now: NOW, cache: { store, version: 1 } }
		);
		const again = await computeObservatorySections(
			{ viewer },
			{ db: ctx.db, now: NOW, cache: { store, version: 1 } }
		);
		const uncached = await computeObservatorySections({ viewer }, { db: ctx.db, now: NOW });
		expect(again.sections).toEqual(uncached.sections);
		expect(again.sections.flows).toBe(first.sections.flows);

		// A write: one more contact. Its version reads it; the old version still reads the old figures.
		await ctx.db.insert(casesTable).values({
			programmeId: viewer.programmeId,
			reference: 'GERS-2026-0099',
			source: 'phone',
			stage: 'contact',
			createdAt: new Date('2026-02-01T10:00:00Z')
		});
		const { data: stale } = await getObservatorySection(
			{ viewer, section: 'flows' },
			{ db: ctx.db, now: NOW, cache: { store, version: 1 } }
		);
		const { data: fresh } = await getObservatorySection(
			{ viewer, section: 'flows' },
			{ db: ctx.db, now: NOW, cache: { store, version: 2 } }
		);
		expect(stale.totals.contacts).toBe(3);
		expect(fresh.totals.contacts).toBe(4);
	});
});
