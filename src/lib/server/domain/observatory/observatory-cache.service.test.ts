import { sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { describeEachDb, useSecondProcess } from '../../db/db.test-utils.ts';
import { ValidationError } from '../../validation.ts';
import { updateCase } from '../case/case-edit.service.ts';
import { moveCaseToStage } from '../case/case-pipeline.service.ts';
import {
	ObservatoryCache,
	observatoryCacheKey,
	readObservatoryVersion,
	watchObservatoryVersion,
	type ObservatoryHead
} from './observatory-cache.ts';
import { observatoryViewerOf } from './observatory.context.ts';
import { computeObservatorySections, observatorySectionNames } from './observatory-report.service.ts';
import { insertTestSurvey, seedObservatoryProgramme, type TestHousehold } from './observatory.test-utils.ts';
import type { ObservatoryViewer } from './observatory.types.ts';

const NOW = new Date('2026-11-26T09:00:00Z');

/** Six households: enough for a committee member (k = 5) to read figures. */
const HOUSEHOLDS: TestHousehold[] = [
	{ contact: '2024-01-10', stages: { qualified: '2024-01-20' }, installedOn: '2024-06-01', commune: '32013' },
	{ source: 'phone', contact: '2024-05-05', installedOn: '2025-02-01', commune: '32107', advisor: 'marc' },
	{ contact: '2025-01-01', stages: { qualified: '2025-01-11', abandoned: '2025-04-01' } },
	{ source: 'fair', contact: '2025-06-01', stages: { abandoned: '2025-07-01' } },
	{ contact: '2026-02-01', advisor: null },
	{ contact: '2023-03-01', installedOn: '2023-09-01', commune: '32013', wouldMoveWithoutProgramme: 'no' }
];

const ALL = observatorySectionNames();

describeEachDb('observatory cache', (ctx) => {
	/** A second process: another connection pool on the same PostgreSQL; PGlite runs in one process. */
	const second = useSecondProcess(ctx);

	const setup = async () => {
		const seeded = await seedObservatoryProgramme(ctx.db, HOUSEHOLDS);
		const staff = observatoryViewerOf(seeded.actors.advisor);
		const committee = observatoryViewerOf(seeded.actors.committee);
		const cache = new ObservatoryCache({ maxBytes: 16 * 1024 * 1024 });
		return { ...seeded, staff, committee, cache };
	};

	/** The sections as computed without any cache, for the same reader, filters and instant. */
	const uncached = async (viewer: ObservatoryViewer, input = {}) =>
		computeObservatorySections({ viewer, input }, { db: ctx.db, now: NOW });

	test('a second call with the same filters is served from the cache, with the figures of an uncached computation', async () => {
		const { staff, cache } = await setup();
		const input = { from: '2024', to: '2026' };
		const first = await computeObservatorySections({ viewer: staff, input }, { db: ctx.db, now: NOW, cache });
		expect(first.cached).toEqual([]);
		expect(cache.stats).toEqual({ hits: 0, computed: ALL.length });

		const again = await computeObservatorySections({ viewer: staff, input }, { db: ctx.db, now: NOW, cache });
		expect(again.cached).toEqual(ALL);
		expect(again.timings.sections).toEqual({});
		expect(cache.stats).toEqual({ hits: ALL.length, computed: ALL.length });

		const reference = await uncached(staff, input);
		expect(again.sections).toEqual(reference.sections);
		expect(first.sections).toEqual(reference.sections);
		expect(again.context).toEqual(reference.context);
		expect(Object.keys(again.sections)).toEqual(ALL);

		// The same filters written otherwise (key order, numbers for strings) are the same entry; a
		// subset of the sections is served from it too.
		const subset = await computeObservatorySections(
			{ viewer: staff, input: { to: 2026, from: 2024 }, sections: ['funnel', 'flows'] },
			{ db: ctx.db, now: NOW, cache }
		);
		expect(subset.cached).toEqual(['funnel', 'flows']);
		expect(cache.stats.computed).toBe(ALL.length);

		// What a caller does with the result never changes the stored entry.
		(again.sections.funnel as { byAdvisor: unknown[] }).byAdvisor.length = 0;
		const third = await computeObservatorySections(
			{ viewer: staff, input, sections: ['funnel'] },
			{ db: ctx.db, now: NOW, cache }
		);
		expect(third.sections.funnel).toEqual(reference.sections.funnel);
	});

	test('only the missing sections are computed; invalid filters fail as without the cache', async () => {
		const { staff, cache } = await setup();
		await computeObservatorySections({ viewer: staff, sections: ['flows'] }, { db: ctx.db, now: NOW, cache });
		const both = await computeObservatorySections(
			{ viewer: staff, sections: ['flows', 'integration'] },
			{ db: ctx.db, now: NOW, cache }
		);
		expect(both.cached).toEqual(['flows']);
		expect(Object.keys(both.timings.sections)).toEqual(['integration']);
		expect(cache.stats.computed).toBe(2);
		const reference = await uncached(staff);
		expect(both.sections.integration).toEqual(reference.sections.integration);
		expect(both.sections.flows).toEqual(reference.sections.flows);

		await expect(
			computeObservatorySections({ viewer: staff, input: { from: 'abc' } }, { db: ctx.db, now: NOW, cache })
		).rejects.toBeInstanceOf(ValidationError);
	});

	test('a write to a case, a stage change or a follow-up answer, by another process, invalidates the entries', async () => {
		const { staff, cache, caseIds, actors, programme } = await setup();
		const read = () =>
			computeObservatorySections(
				{ viewer: staff, sections: ['funnel', 'integration'] },
				{ db: ctx.db, now: NOW, cache }
			);
		const before = await read();
		expect((await read()).cached).toEqual(['funnel', 'integration']);

		// A statement that changes no row of a table read leaves the entries in place.
		await second().db.execute(sql`update cases set source = source where id = 'no-such-case'`);
		expect((await read()).cached).toEqual(['funnel', 'integration']);

		// A case.
		await updateCase(
			{ actor: actors.advisor, caseId: caseIds[4], input: { source: 'press' } },
			{ db: second().db }
		);
		const afterCase = await read();
		expect(afterCase.cached).toEqual([]);
		expect(afterCase.sections.funnel).not.toEqual(before.sections.funnel);
		expect(afterCase.sections.funnel).toEqual((await uncached(staff)).sections.funnel);
		expect((await read()).cached).toEqual(['funnel', 'integration']);

		// A stage change.
		await moveCaseToStage(
			{ actor: actors.advisor, caseId: caseIds[4], stage: 'qualified' },
			{ db: second().db, now: NOW }
		);
		const afterStage = await read();
		expect(afterStage.cached).toEqual([]);
		expect(afterStage.sections.funnel).not.toEqual(afterCase.sections.funnel);
		expect(afterStage.sections.funnel).toEqual((await uncached(staff)).sections.funnel);
		expect((await read()).cached).toEqual(['funnel', 'integration']);

		// A follow-up answer.
		await insertTestSurvey(second().db, {
			programmeId: programme.id,
			caseId: caseIds[5],
			installedOn: HOUSEHOLDS[5].installedOn!,
			waveMonths: 6,
			answers: { would_move_without_programme: 'no', satisfaction: 4 }
		});
		const afterAnswer = await read();
		expect(afterAnswer.cached).toEqual([]);
		expect(afterAnswer.sections.integration).not.toEqual(afterStage.sections.integration);
		expect(afterAnswer.sections.integration).toEqual((await uncached(staff)).sections.integration);
		expect(cache.stats.computed).toBe(8);
	});

	test("another process's notification drops the entries of a watching cache", async () => {
		const { staff, cache, caseIds, actors } = await setup();
		const watch = await watchObservatoryVersion({ cache }, { database: ctx.handle });
		try {
			await computeObservatorySections(
				{ viewer: staff, sections: ['funnel'] },
				{ db: ctx.db, now: NOW, cache }
			);
			expect(cache.size).toBe(1);
			const version = await readObservatoryVersion(second());
			await updateCase(
				{ actor: actors.advisor, caseId: caseIds[4], input: { source: 'fair' } },
				{ db: second().db }
			);
			expect(await readObservatoryVersion(ctx)).toBeGreaterThan(version);
			// Delivered by the database: waits for the notification, never for a clock.
			while (cache.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
			expect(cache.size).toBe(0);
		} finally {
			await watch.stop();
		}
	});

	test("different filters, another day or a committee member never get staff's entry", async () => {
		const { staff, committee, cache } = await setup();
		const call = (viewer: ObservatoryViewer, input = {}, now = NOW) =>
			computeObservatorySections({ viewer, input, sections: ['funnel'] }, { db: ctx.db, now, cache });
		const staffRead = await call(staff);
		expect(staffRead.cached).toEqual([]);

		const committeeRead = await call(committee);
		expect(committeeRead.cached).toEqual([]);
		// Staff read the advisors' lines; a committee member never does.
		expect((staffRead.sections.funnel as { byAdvisor: unknown[] }).byAdvisor.length).toBeGreaterThan(0);
		expect(committeeRead.sections.funnel).toEqual((await uncached(committee)).sections.funnel);
		expect((committeeRead.sections.funnel as { byAdvisor: unknown[] }).byAdvisor).toEqual([]);
		expect((await call(committee)).cached).toEqual(['funnel']);

		expect((await call(staff, { source: 'fair' })).cached).toEqual([]);
		expect((await call(staff, { source: 'phone' })).cached).toEqual([]);
		expect((await call(staff, {}, new Date('2026-11-27T09:00:00Z'))).cached).toEqual([]);
		expect((await call(staff)).cached).toEqual(['funnel']);
		expect(cache.stats.computed).toBe(5);
	});

	test('a cache of 0 MB computes every call', async () => {
		const { staff } = await setup();
		const off = new ObservatoryCache({ maxBytes: 0 });
		await computeObservatorySections(
			{ viewer: staff, sections: ['flows'] },
			{ db: ctx.db, now: NOW, cache: off }
		);
		const again = await computeObservatorySections(
			{ viewer: staff, sections: ['flows'] },
			{ db: ctx.db, now: NOW, cache: off }
		);
		expect(again.cached).toEqual([]);
		expect(off.size).toBe(0);
	});
});

describe('observatory cache memory and age', () => {
	const head = { caseCount: 1 } as unknown as ObservatoryHead;
	const viewer: ObservatoryViewer = { programmeId: 'p', kind: 'staff', userId: null, isAdmin: false };

	test('the least recently used entry leaves first, within the memory given', () => {
		const cache = new ObservatoryCache({ maxBytes: 8 * 2500 });
		const big = { values: 'x'.repeat(1000) };
		cache.set('a', head, { flows: big }, cache.generation);
		cache.set('b', head, { flows: big }, cache.generation);
		cache.set('c', head, { flows: big }, cache.generation);
		cache.get('a', ['flows']);
		for (const key of ['d', 'e', 'f', 'g', 'h', 'i', 'j'])
			cache.set(key, head, { flows: big }, cache.generation);
		expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
		expect(cache.get('b', ['flows'])).toBeNull();
		expect(cache.get('j', ['flows'])?.sections.flows).toEqual(big);
	});

	test('an entry expires after the maximum age; a computation begun before an invalidation is not stored', () => {
		let clock = 0;
		const cache = new ObservatoryCache({ maxBytes: 1_000_000, maxAgeMs: 1000, now: () => clock });
		cache.set('a', head, { flows: 1 }, cache.generation);
		clock = 999;
		expect(cache.get('a', ['flows'])?.sections).toEqual({ flows: 1 });
		clock = 1000;
		expect(cache.get('a', ['flows'])).toBeNull();

		const generation = cache.generation;
		cache.notified(7);
		expect(cache.set('b', head, { flows: 1 }, generation)).toBe(false);
		cache.observe(7);
		expect(cache.set('b', head, { flows: 1 }, cache.generation)).toBe(true);
		cache.observe(8);
		expect(cache.size).toBe(0);
	});

	test('the key holds the programme, the reader kind, the day and the filters in a canonical order', () => {
		const key = (over: Partial<ObservatoryViewer>, filters: Record<string, unknown>, now = NOW) =>
			observatoryCacheKey({ viewer: { ...viewer, ...over }, filters: filters as never, now });
		expect(key({}, { from: 2024, to: 2025 })).toBe(key({}, { to: 2025, from: 2024, sector: undefined }));
		expect(key({ kind: 'committee' }, {})).not.toBe(key({}, {}));
		expect(key({ programmeId: 'q' }, {})).not.toBe(key({}, {}));
		expect(key({}, {}, new Date('2026-11-26T23:59:00Z'))).toBe(key({}, {}));
		expect(key({}, {}, new Date('2026-11-27T00:00:00Z'))).not.toBe(key({}, {}));
	});
});
