import { sql } from 'drizzle-orm';
import { expect, test } from 'vitest';
import { describeEachDb, useSecondProcess } from '../db/db.test-utils.ts';
import type { DbHandle } from '../db/index.ts';
import { createOffer } from '../domain/offer/offer.service.ts';
import { addProgrammeHost, removeProgrammeHost } from '../domain/programme/programme-host.service.ts';
import { updateTexts } from '../domain/programme-settings/programme-settings.service.ts';
import { createVillage, updateVillage } from '../domain/village/village.service.ts';
import { createTestCase, createTestProgrammes, createTestUser } from '../testing/factories.ts';
import {
	PUBLIC_CACHE_CHANNEL,
	PublicPageCache,
	readPublicCacheVersion,
	watchPublicCacheVersion
} from './public-cache.ts';

const HTML = '<!doctype html><html><body>' + '<p>Simorre</p>'.repeat(200) + '</body></html>';
const NOW = new Date('2026-03-01T09:00:00Z');

/**
 * Listens on the channel (LISTEN is in place when this resolves, so a write made after it is
 * heard); `notified` resolves at the next notification, with its payload.
 */
async function nextNotification(
	handle: Pick<DbHandle, 'listen'>
): Promise<{ notified: Promise<{ payload: string | null; stop: () => Promise<void> }> }> {
	let heard: (payload: string | null) => void = () => {};
	const payload = new Promise<string | null>((resolve) => (heard = resolve));
	const stop = await handle.listen(PUBLIC_CACHE_CHANNEL, (value) => heard(value));
	return { notified: payload.then((value) => ({ payload: value, stop })) };
}

/** Waits for a condition set by a notification (delivered by the database, not a clock). */
async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describeEachDb('public cache invalidation', (ctx) => {
	/** A second process: another connection pool on the same PostgreSQL; PGlite runs in one process. */
	const second = useSecondProcess(ctx);

	const setup = async () => {
		const db = ctx.db;
		const { programme } = await createTestProgrammes(db);
		const admin = await createTestUser(db, {
			role: 'admin',
			programmeId: programme.id,
			email: 'admin@x.org'
		});
		const { village } = await createVillage(
			{ input: { programmeId: programme.id, communeCode: '32433' } },
			{ db }
		);
		return { db, programme, admin, village };
	};

	/** A cache of the second process, filled with one page, watching the database. */
	const watchedCache = async () => {
		const cache = new PublicPageCache({ maxBytes: 1_000_000, maxAgeMs: 60_000 });
		const page = await cache.entryOf(new Response(HTML, { headers: { 'content-type': 'text/html' } }), {
			ignoredCookies: []
		});
		cache.set('home', page!, cache.generation);
		const watch = await watchPublicCacheVersion({ cache }, { database: second() });
		return { cache, watch };
	};

	test('publishing an offer bumps the version and notifies the other process, whose cached pages go', async () => {
		const { db, programme, admin, village } = await setup();
		const { cache, watch } = await watchedCache();
		try {
			const before = await readPublicCacheVersion({ db });
			const { notified } = await nextNotification(second());
			await createOffer(
				{
					actor: admin.actor,
					input: {
						programmeId: programme.id,
						expiresAt: new Date(NOW.getTime() + 60 * 86_400_000),
						kind: 'house_rent',
						titleFr: 'Maison de village à louer',
						titleEn: 'Village house to rent',
						communeCode: '32433',
						villageId: village.id,
						price: 650
					} as never
				},
				{ db, now: NOW }
			);
			const { payload, stop } = await notified;
			await stop();
			const after = await readPublicCacheVersion({ db });
			expect(after).toBeGreaterThan(before);
			expect(payload).toBe(`${after} offers`);
			// The other process's watcher heard it too: its pages are gone without it asking.
			await until(() => cache.size === 0);
			expect(cache.get('home')).toBeNull();
		} finally {
			await watch.stop();
		}
	});

	test("a change of a programme's hosts notifies every process: which programme a host shows changed", async () => {
		const { db, admin } = await setup();
		const { cache, watch } = await watchedCache();
		try {
			const { notified } = await nextNotification(second());
			await addProgrammeHost({ actor: admin.actor, input: { host: 'gers.example' } }, { db });
			const { payload, stop } = await notified;
			await stop();
			expect(payload).toBe(`${await readPublicCacheVersion({ db })} programme_hosts`);
			await until(() => cache.size === 0);
			const { notified: removed } = await nextNotification(second());
			await removeProgrammeHost({ actor: admin.actor, input: { host: 'gers.example' } }, { db });
			const { payload: removedPayload, stop: stopRemoved } = await removed;
			await stopRemoved();
			expect(removedPayload).toBe(`${await readPublicCacheVersion({ db })} programme_hosts`);
		} finally {
			await watch.stop();
		}
	});

	test('editing a village and the home page texts each bump the version and notify', async () => {
		const { db, admin, village } = await setup();
		const first = await readPublicCacheVersion({ db });
		const { notified: villageNotified } = await nextNotification(second());
		await updateVillage({ actor: admin.actor, villageId: village.id, input: { status: 'prospect' } }, { db });
		const { payload: villagePayload, stop: stopVillage } = await villageNotified;
		await stopVillage();
		const afterVillage = await readPublicCacheVersion({ db });
		expect(afterVillage).toBeGreaterThan(first);
		expect(villagePayload).toBe(`${afterVillage} villages`);

		const { notified: textsNotified } = await nextNotification(second());
		await updateTexts(
			{
				actor: admin.actor,
				input: {
					homeTitle: { fr: 'Venez vivre dans le Gers', en: 'Come and live in the Gers' },
					homeIntro: { fr: '', en: '' },
					howItWorks: { fr: '', en: '' }
				}
			},
			{ db }
		);
		const { payload: textsPayload, stop: stopTexts } = await textsNotified;
		await stopTexts();
		expect(textsPayload).toBe(`${afterVillage + 1} programme_settings`);
	});

	test('a write of many rows in one statement bumps the version once; a case bumps nothing', async () => {
		const { db, programme, admin } = await setup();
		const before = await readPublicCacheVersion({ db });
		await db.execute(sql`update communes set name = name where code in ('32433', '32410', '32013')`);
		expect(await readPublicCacheVersion({ db })).toBe(before + 1);
		const { case: created } = await createTestCase(db, { actor: admin.actor });
		expect(created.programmeId).toBe(programme.id);
		expect(await readPublicCacheVersion({ db })).toBe(before + 1);
	});

	test('a rolled-back write notifies nobody; the next committed write does', async () => {
		const { db, village } = await setup();
		const { notified } = await nextNotification(second());
		await db
			.transaction(async (tx) => {
				await tx.execute(sql`update villages set updated_at = now() where id = ${village.id}`);
				throw new Error('rolled back');
			})
			.catch(() => null);
		await db.execute(sql`update offers set id = id where id = id`);
		await db.execute(sql`update villages set status = status where id = ${village.id}`);
		// The first notification heard is the committed write's, not the rolled-back one's.
		const { payload, stop } = await notified;
		await stop();
		expect(payload).toBe(`${await readPublicCacheVersion({ db })} villages`);
	});

	test('a statement that changes no row (a job with nothing to do) bumps nothing and notifies nobody', async () => {
		const { db, village } = await setup();
		const { notified } = await nextNotification(second());
		const before = await readPublicCacheVersion({ db });
		await db.execute(sql`update offers set id = id where false`);
		await db.execute(sql`delete from event_registrations where false`);
		await db.execute(sql`insert into epcis select * from epcis where false`);
		expect(await readPublicCacheVersion({ db })).toBe(before);
		// Deleting a row does notify: the first notification heard is that one.
		await db.execute(sql`delete from villages where id = ${village.id}`);
		const { payload, stop } = await notified;
		await stop();
		expect(payload).toBe(`${before + 1} villages`);
	});
});
