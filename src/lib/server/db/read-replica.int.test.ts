import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig } from '../config.ts';
import { openDatabase, type OpenDatabase } from '../runtime.ts';
import { casesTable } from './schema/index.ts';
import { createDb } from './index.ts';
import { createEmptyPostgresDatabase } from './db.test-utils.ts';
import { observatoryViewerOf } from '../domain/observatory/observatory.context.ts';
import { computeObservatorySections } from '../domain/observatory/observatory-report.service.ts';
import { createObservatoryToken } from '../domain/observatory/observatory-token.service.ts';
import {
	seedObservatoryProgramme,
	type TestHousehold
} from '../domain/observatory/observatory.test-utils.ts';
import { updateMinCellSize } from '../domain/programme-settings/programme-settings.service.ts';
import { handleObservatoryApi } from '../http/observatory-api.ts';

/*
 * SOHO_READ_DATABASE_URL: the observatory reads the replica, everything else the primary. There is
 * no streaming replica here: the "replica" is a second database made from the primary as a template
 * (a copy at that instant, which then never catches up: replication lag without end), so that a
 * read of the replica and a read of the primary give different figures.
 */

const NOW = new Date('2026-11-26T09:00:00Z');
const HOUSEHOLDS: TestHousehold[] = [
	{ contact: '2024-01-10', stages: { qualified: '2024-01-20' }, installedOn: '2024-06-01', commune: '32013' },
	{ contact: '2025-03-01', source: 'phone' },
	{ contact: '2025-05-01', stages: { abandoned: '2025-06-01' }, abandonedReason: 'Pas de logement' }
];

const skipReason = process.env.TEST_DATABASE_URL
	? null
	: 'TEST_DATABASE_URL is not set (a read replica is a PostgreSQL feature; PGlite has one connection)';
if (skipReason) console.log(`read replica routing skipped: ${skipReason}`);

describe.skipIf(skipReason)('the observatory reads SOHO_READ_DATABASE_URL [postgres]', () => {
	let primary: { url: string; drop: () => Promise<void> };
	let replicaUrl: string;
	let dropReplica: () => Promise<void> = async () => {};
	let database: OpenDatabase;
	let seeded: Awaited<ReturnType<typeof seedObservatoryProgramme>>;

	/** Cases of the programme in the replica, read through a connection of the test's own. */
	async function replicaCaseCount(): Promise<number> {
		const client = new pg.Client({ connectionString: replicaUrl });
		await client.connect();
		try {
			const { rows } = await client.query('select count(*)::int as n from cases');
			return rows[0].n;
		} finally {
			await client.end();
		}
	}

	beforeAll(async () => {
		primary = await createEmptyPostgresDatabase('soho_primary');
		const setup = await createDb({ url: primary.url });
		await setup.migrate();
		seeded = await seedObservatoryProgramme(setup.db, HOUSEHOLDS, { minCellSize: 1 });
		await setup.close();
		// The replica: a copy of the primary as it is now.
		const name = `${new URL(primary.url).pathname.slice(1)}_replica`;
		const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
		await admin.connect();
		await admin.query(`CREATE DATABASE ${name} TEMPLATE ${new URL(primary.url).pathname.slice(1)}`);
		await admin.end();
		const url = new URL(primary.url);
		url.pathname = `/${name}`;
		replicaUrl = url.toString();
		dropReplica = async () => {
			const cleaner = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
			await cleaner.connect();
			await cleaner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await cleaner.end();
		};
		// The server's own path: the settings, then the runtime's connection factory.
		const config = parseConfig({
			NODE_ENV: 'test',
			DATABASE_URL: primary.url,
			SOHO_READ_DATABASE_URL: replicaUrl
		});
		database = await openDatabase(config, { owner: 'server' });
		// A write on the primary that the replica never receives: one household fewer.
		await database.db.delete(casesTable).where(eq(casesTable.id, seeded.caseIds[1]));
	});

	afterAll(async () => {
		await database?.close();
		await dropReplica();
		await primary?.drop();
	});

	test('the runtime opens the replica for the observatory and says so', () => {
		expect(database.hasReadReplica).toBe(true);
		expect(database.readDb).not.toBe(database.db);
		expect(database.description).toContain('observatory reads');
	});

	test('the observatory’s figures come from the replica, the primary holds the newer data', async () => {
		const viewer = observatoryViewerOf(seeded.actors.advisor);
		const fromReplica = await computeObservatorySections(
			{ viewer, sections: ['flows'] },
			{ db: database.readDb, now: NOW }
		);
		const fromPrimary = await computeObservatorySections(
			{ viewer, sections: ['flows'] },
			{ db: database.db, now: NOW }
		);
		expect(fromReplica.context.caseCount).toBe(3);
		expect(fromPrimary.context.caseCount).toBe(2);
	});

	test('the JSON API checks a funder’s token on the primary and computes on the replica', async () => {
		// Created after the copy: the token exists on the primary only.
		const { token } = await createObservatoryToken(
			{ actor: seeded.actors.admin, input: { label: 'Région' } },
			{ db: database.db, now: NOW }
		);
		const call = async (readDb?: typeof database.readDb) => {
			const response = await handleObservatoryApi(
				{
					url: new URL('https://soho.example/api/v1/observatory/flows'),
					authorization: `Bearer ${token}`,
					actor: null,
					locale: 'en',
					section: 'flows'
				},
				{ db: database.db, readDb, now: NOW }
			);
			expect(response.status).toBe(200);
			return response.json();
		};
		const throughReplica = await call(database.readDb);
		const onPrimaryOnly = await call();
		expect(throughReplica.section).toBe('flows');
		// The replica's copy has the household the primary has lost: the figures differ.
		expect(throughReplica.data).not.toEqual(onPrimaryOnly.data);
		const viewer = observatoryViewerOf(seeded.actors.advisor);
		const replicaFlows = await computeObservatorySections(
			{ viewer, sections: ['flows'] },
			{ db: database.readDb, now: NOW }
		);
		expect(JSON.parse(JSON.stringify(replicaFlows.sections.flows))).toEqual(throughReplica.data);
		expect(await replicaCaseCount()).toBe(3);
	});

	test('a write sent to the read connection fails, and the services’ writes go to the primary', async () => {
		const input = { actor: seeded.actors.admin, input: { minCellSize: 4 } };
		// 25006: read_only_sql_transaction, as a hot standby answers.
		await expect(updateMinCellSize(input, { db: database.readDb })).rejects.toMatchObject({
			cause: { code: '25006' }
		});
		await updateMinCellSize(input, { db: database.db });
		const viewer = observatoryViewerOf(seeded.actors.committee);
		const onPrimary = await computeObservatorySections(
			{ viewer, sections: [] },
			{ db: database.db, now: NOW }
		);
		const onReplica = await computeObservatorySections(
			{ viewer, sections: [] },
			{ db: database.readDb, now: NOW }
		);
		expect(onPrimary.context.minCellSize).toBe(4);
		expect(onReplica.context.minCellSize).toBe(1);
	});
});
