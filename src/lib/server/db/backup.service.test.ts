import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
	backupDatabase,
	BackupError,
	listBackupTables,
	readBackupHeader,
	restoreDatabase
} from './backup.ts';
import { createTestDb, describeEachDb, truncateAll } from './db.test-utils.ts';
import type { Db, DbHandle } from './index.ts';

let dir: string;
beforeAll(() => {
	dir = mkdtempSync(join(tmpdir(), 'soho-backup-'));
});
afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

/** Every table as PostgreSQL renders its rows, in primary-key order: equal dumps mean equal data. */
async function dump(db: Db): Promise<Record<string, string[]>> {
	const out: Record<string, string[]> = {};
	for (const table of listBackupTables()) {
		const result = await db.execute(
			sql.raw(
				`select row_to_json(t)::text as r from "${table.name}" t order by ${table.primaryKey.map((c) => `"${c}"`).join(', ')}`
			)
		);
		out[table.name] = (result as unknown as { rows: { r: string }[] }).rows.map((row) => row.r);
	}
	return out;
}

async function count(db: Db, table: string): Promise<number> {
	const result = await db.execute(sql.raw(`select count(*)::int as n from "${table}"`));
	return (result as unknown as { rows: { n: number }[] }).rows[0].n;
}

/** Data that is easy to get wrong: microseconds, jsonb, doubles, nulls, quotes, line breaks, composite keys. */
async function seed(db: Db): Promise<void> {
	await db.execute(sql`
		insert into programmes (id, slug, name, departements, metropole_code, languages, is_demo, created_at, updated_at)
		values
			('prg_a', 'gers', 'Gers "32"', '["32"]', '31555', '["fr","en"]', true, '2026-01-02 03:04:05.123456+00', '2026-01-02 03:04:05.654321+00'),
			('prg_b', 'lot', E'Lot\nline two \u2028 é', '["46","82"]', null, '[]', false, '2025-12-31 23:59:59.999999+00', now())`);
	await db.execute(sql`
		insert into epcis (code, name, kind, population) values ('200034692', 'CC du Grand Auch', 'CA', 40000)`);
	await db.execute(sql`
		insert into communes (code, name, departement_code, epci_code, population, postal_codes, former_codes, centroid_lat, centroid_lon, geometry, geometry_source, geometry_updated_at)
		values
			('32013', 'Auch', '32', '200034692', 21000, '["32000"]', '[]', 43.6465129, 0.5855411000000001,
			 '{"type":"Polygon","coordinates":[[[0.5,43.6],[0.6,43.6],[0.6,43.7],[0.5,43.6]]],"precise":1.00000000000000000001}', 'test.geojson', '2026-03-04 05:06:07.000001+00'),
			('32107', 'Eauze', '32', null, null, '["32800"]', '["32999"]', 0.30000000000000004, -1e-7, null, null, null)`);
	await db.execute(sql`
		insert into former_communes (code, name, kind, commune_code) values ('32999', 'Ancienne', 'merged', '32107'), ('32998', null, 'delegated', '32107')`);
	await db.execute(sql`
		insert into users (id, name, email, locale) values ('usr_a', 'Anna', 'anna@example.org', 'en')`);
	await db.execute(sql`
		insert into memberships (id, user_id, programme_id, role) values ('mbr_a', 'usr_a', 'prg_a', 'admin')`);
	await db.execute(sql`
		insert into mail_messages (id, programme_id, kind, to_address, subject, text_body, html_body, status, attempts, last_error)
		values ('mail_a', 'prg_a', 'account.invite', 'anna@example.org', 'Hi', E'Line 1\r\nLine 2\t"quoted"', '<p>x</p>', 'failed', 5, 'boom'),
		       ('mail_b', null, 'system.test', 'ops@example.org', 'Ops', 'x', null, 'held', 0, null)`);
}

async function expectBackupError(promise: Promise<unknown>, code: string, message?: RegExp) {
	const error = await promise.then(
		() => null,
		(e: unknown) => e
	);
	expect(error, `expected ${code}`).toBeInstanceOf(BackupError);
	expect((error as BackupError).code).toBe(code);
	if (message) expect((error as BackupError).message).toMatch(message);
}

/** Rewrites the decompressed text of a backup. */
function tamper(source: string, target: string, edit: (text: string) => string): void {
	writeFileSync(target, gzipSync(edit(gunzipSync(readFileSync(source)).toString('utf8'))));
}

test('tables are listed parents first, from the Drizzle schema', () => {
	const names = listBackupTables().map((table) => table.name);
	expect(names).toEqual(
		expect.arrayContaining(['programmes', 'users', 'mail_messages', 'communes', 'epcis'])
	);
	const before = (a: string, b: string) => expect(names.indexOf(a)).toBeLessThan(names.indexOf(b));
	before('programmes', 'users');
	before('users', 'memberships');
	before('programmes', 'mail_messages');
	before('epcis', 'communes');
	before('communes', 'former_communes');
});

describeEachDb('backup and restore', (ctx) => {
	let other: { handle: DbHandle; dispose: () => Promise<void> };
	beforeAll(async () => {
		other = await createTestDb(ctx.kind);
	});
	afterAll(async () => {
		await other?.dispose();
	});

	test('a backup restored into a fresh database gives identical rows, to the microsecond', async () => {
		await truncateAll(other.handle.db);
		await seed(ctx.db);
		const file = join(dir, `full-${ctx.kind}.json.gz`);
		const { header, bytes } = await backupDatabase({ file }, { db: ctx.db, source: ctx.kind });
		expect(bytes).toBeGreaterThan(0);
		expect(header.migrations.count).toBeGreaterThan(0);
		expect(header.tables.find((t) => t.name === 'communes')?.rows).toBe(2);
		expect((await readBackupHeader({ file })).header).toEqual(header);

		const result = await restoreDatabase({ file }, { db: other.handle.db });
		expect(result.total).toBe(2 + 1 + 2 + 2 + 1 + 1 + 2);
		expect(result.counts.find((c) => c.table === 'former_communes')?.rows).toBe(2);
		const restored = await dump(other.handle.db);
		expect(restored).toEqual(await dump(ctx.db));
		expect(restored.programmes.join()).toContain('2026-01-02T03:04:05.123456');
		expect(restored.communes.join()).toContain('1.00000000000000000001');
	});

	test('a backup is readable by its owner only and holds no session, token or sign-in attempt; after a restore everybody signs in again', async () => {
		await truncateAll(other.handle.db);
		await seed(ctx.db);
		await ctx.db.execute(sql`
			insert into sessions (id, user_id, token, expires_at) values ('ses_a', 'usr_a', 'live-session-token-a', now() + interval '1 day')`);
		await ctx.db.execute(sql`
			insert into verifications (id, identifier, value, expires_at) values ('ver_a', 'reset-password:live-reset-token-a', 'usr_a', now() + interval '1 hour')`);
		await ctx.db.execute(sql`
			insert into sign_in_attempts (id, email, ip_address, is_success) values ('sia_a', 'anna@example.org', '203.0.113.9', false)`);
		const file = join(dir, `secrets-${ctx.kind}.json.gz`);
		const { header } = await backupDatabase({ file }, { db: ctx.db });

		expect(statSync(file).mode & 0o777).toBe(0o600);
		const text = gunzipSync(readFileSync(file)).toString('utf8');
		expect(text).not.toContain('live-session-token-a');
		expect(text).not.toContain('live-reset-token-a');
		expect(text).not.toContain('203.0.113.9');
		const names = header.tables.map((table) => table.name);
		for (const name of ['sessions', 'verifications', 'sign_in_attempts', 'setup_codes', 'setup_attempts'])
			expect(names).not.toContain(name);
		expect(names).toContain('auth_accounts');

		// The target had its own sessions: a forced restore ends them too.
		await other.handle.db.execute(sql`
			insert into users (id, name, email) values ('usr_t', 'T', 't@example.org')`);
		await other.handle.db.execute(sql`
			insert into sessions (id, user_id, token, expires_at) values ('ses_t', 'usr_t', 'target-token', now() + interval '1 day')`);
		await other.handle.db.execute(sql`
			insert into verifications (id, identifier, value, expires_at) values ('ver_t', 'reset-password:t', 'usr_t', now() + interval '1 hour')`);
		await restoreDatabase({ file, isForced: true }, { db: other.handle.db });
		expect(await count(other.handle.db, 'users')).toBe(1);
		expect(await count(other.handle.db, 'sessions')).toBe(0);
		expect(await count(other.handle.db, 'verifications')).toBe(0);
	});

	test('an older backup that holds sessions restores without them', async () => {
		await truncateAll(other.handle.db);
		await seed(ctx.db);
		const file = join(dir, `old-${ctx.kind}.json.gz`);
		await backupDatabase({ file }, { db: ctx.db });
		// A backup written before sessions were left out: the sessions table first, with one row.
		const older = join(dir, `older-${ctx.kind}.json.gz`);
		tamper(file, older, (text) => {
			const [first, ...rest] = text.split('\n');
			const header = JSON.parse(first.slice('{"header":'.length, -1));
			header.tables.unshift({ name: 'sessions', columns: ['id', 'user_id', 'token', 'expires_at'], rows: 1 });
			return [
				`{"header":${JSON.stringify(header)},`,
				rest[0],
				'{"name":"sessions","rows":[',
				'{"id":"ses_old","user_id":"usr_a","token":"old-token","expires_at":"2099-01-01T00:00:00+00:00"}',
				']},',
				...rest.slice(1)
			].join('\n');
		});
		const result = await restoreDatabase({ file: older }, { db: other.handle.db });
		expect(result.counts.map((entry) => entry.table)).not.toContain('sessions');
		expect(await count(other.handle.db, 'users')).toBe(1);
		expect(await count(other.handle.db, 'sessions')).toBe(0);
	});

	test('an empty database backs up and restores', async () => {
		await truncateAll(other.handle.db);
		const file = join(dir, `empty-${ctx.kind}.json.gz`);
		await backupDatabase({ file }, { db: ctx.db });
		expect((await restoreDatabase({ file }, { db: other.handle.db })).total).toBe(0);
	});

	test('restoring into a database that holds data is refused unless forced', async () => {
		await truncateAll(other.handle.db);
		await seed(ctx.db);
		const file = join(dir, `force-${ctx.kind}.json.gz`);
		await backupDatabase({ file }, { db: ctx.db });
		await other.handle.db.execute(
			sql`insert into programmes (id, slug, name) values ('prg_other', 'other', 'Other')`
		);
		await expectBackupError(
			restoreDatabase({ file }, { db: other.handle.db }),
			'backup.target_not_empty',
			/programmes.*--force/
		);
		expect(await count(other.handle.db, 'programmes')).toBe(1);

		await restoreDatabase({ file, isForced: true }, { db: other.handle.db });
		expect(await dump(other.handle.db)).toEqual(await dump(ctx.db));
	});

	test('a file that is not a backup, or is damaged, is refused and nothing is written', async () => {
		await truncateAll(other.handle.db);
		await seed(ctx.db);
		const good = join(dir, `good-${ctx.kind}.json.gz`);
		await backupDatabase({ file: good }, { db: ctx.db });
		const bad = join(dir, `bad-${ctx.kind}.json.gz`);
		const target = other.handle.db;
		const assertEmpty = async () => {
			for (const table of listBackupTables()) expect(await count(target, table.name)).toBe(0);
		};

		writeFileSync(bad, 'hello, I am not gzip');
		await expectBackupError(
			restoreDatabase({ file: bad }, { db: target }),
			'backup.invalid_file',
			/not a gzip/
		);

		writeFileSync(bad, gzipSync('{"some":"json"}\n'));
		await expectBackupError(restoreDatabase({ file: bad }, { db: target }), 'backup.invalid_file', /header/);

		await expectBackupError(
			restoreDatabase({ file: join(dir, 'missing.json.gz') }, { db: target }),
			'backup.invalid_file',
			/does not exist/
		);

		// Cut short: the gzip stream ends early.
		const bytes = readFileSync(good);
		writeFileSync(bad, bytes.subarray(0, Math.floor(bytes.length * 0.8)));
		await expectBackupError(restoreDatabase({ file: bad }, { db: target }), 'backup.invalid_file');
		await assertEmpty();

		// A damaged row late in the file, after other tables were inserted: all rolled back.
		tamper(good, bad, (text) => text.replace('"subject":"Hi"', '"subject":"Hi'));
		await expectBackupError(
			restoreDatabase({ file: bad }, { db: target }),
			'backup.invalid_file',
			/mail_messages/
		);
		await assertEmpty();

		// A row removed: the count no longer matches the header.
		tamper(good, bad, (text) => text.replace(/\n\{"code":"32998"[^\n]*\n/, '\n'));
		await expectBackupError(restoreDatabase({ file: bad }, { db: target }), 'backup.invalid_file', /rows/);
		await assertEmpty();

		// A row that breaks a foreign key.
		tamper(good, bad, (text) =>
			text.replace('"programme_id":"prg_a","role":"admin"', '"programme_id":"prg_zz","role":"admin"')
		);
		await expectBackupError(
			restoreDatabase({ file: bad }, { db: target }),
			'backup.invalid_file',
			/memberships/
		);
		await assertEmpty();

		// Taken at another migration level.
		tamper(good, bad, (text) => text.replace(/"migrations":\{"count":\d+/, '"migrations":{"count":999'));
		await expectBackupError(
			restoreDatabase({ file: bad }, { db: target }),
			'backup.migration_mismatch',
			/999/
		);
		await assertEmpty();

		// The good file still restores.
		expect((await restoreDatabase({ file: good }, { db: target })).total).toBeGreaterThan(0);
	});
});
