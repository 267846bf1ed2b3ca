import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { createDb, STARTUP_LOCK_KEY, type DbHandle } from './index.ts';
import { createEmptyPostgresDatabase } from './db.test-utils.ts';

/*
 * The start-up lock: nodes starting together on one PostgreSQL migrate, seed and issue the setup
 * code one at a time. Two handles stand for two processes (each its own pool).
 */
const skipReason = process.env.TEST_DATABASE_URL
	? null
	: 'TEST_DATABASE_URL is not set (PGlite is opened by one process, which needs no lock)';
if (skipReason) console.log(`start-up lock skipped: ${skipReason}`);

describe.skipIf(skipReason)('the start-up lock across processes [postgres]', () => {
	let scratch: { url: string; drop: () => Promise<void> };
	let nodes: DbHandle[] = [];

	beforeAll(async () => {
		scratch = await createEmptyPostgresDatabase('soho_lock');
		nodes = [await createDb({ url: scratch.url }), await createDb({ url: scratch.url })];
	});
	afterAll(async () => {
		for (const node of nodes) await node.close();
		await scratch?.drop();
	});

	test('the second node enters only after the first one left, even when the first one fails', async () => {
		const events: string[] = [];
		let release = () => {};
		const held = new Promise<void>((resolve) => (release = resolve));
		let entered: () => void = () => {};
		const isInside = new Promise<void>((resolve) => (entered = resolve));
		const first = nodes[0].exclusive(async () => {
			events.push('a in');
			entered();
			await held;
			events.push('a out');
			throw new Error('start-up failed');
		});
		await isInside;
		const second = nodes[1].exclusive(async () => {
			events.push('b in');
			return 'b done';
		});
		// Wait until the second node's lock request (this database, this key: other tests run beside) is queued behind the first (never a fixed delay).
		let waiting = 0;
		for (let attempt = 0; attempt < 200 && waiting === 0; attempt++) {
			const probe = await nodes[0].db.execute(
				sql`select count(*)::int as n from pg_locks
				where locktype = 'advisory' and not granted and objid = ${STARTUP_LOCK_KEY}
				and database = (select oid from pg_database where datname = current_database())`
			);
			waiting = (probe as unknown as { rows: { n: number }[] }).rows[0].n;
			if (waiting === 0) await new Promise((resolve) => setTimeout(resolve, 25));
		}
		expect(waiting).toBe(1);
		expect(events).toEqual(['a in']);
		release();
		await expect(first).rejects.toThrow('start-up failed');
		await expect(second).resolves.toBe('b done');
		expect(events).toEqual(['a in', 'a out', 'b in']);
	});

	test('two nodes migrating the same fresh database at once both succeed', async () => {
		await Promise.all(nodes.map((node) => node.migrate()));
		const result = await nodes[0].db.execute('select count(*)::int as n from drizzle.__drizzle_migrations');
		const applied = (result as unknown as { rows: { n: number }[] }).rows[0].n;
		expect(applied).toBeGreaterThan(0);
	}, 300_000);
});
