import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import {
	communesTable,
	epcisTable,
	organisationsTable,
	type OrganisationKind,
	type Role,
	type User
} from '../../db/schema/index.ts';
import { toActor } from '../account/account.service.ts';
import { createProgramme } from '../programme/programme.service.ts';
import { insertTestUsers } from '../account/account.test-utils.ts';

/** Test fixtures shared by the village, workspace, offer and connectivity tests. */

/** A few real Gers communes with their centroids (enough for most tests; no COG import). */
export const TEST_COMMUNES = [
	{ code: '32013', name: 'Auch', population: 22428, lat: 43.6465, lon: 0.5855 },
	{ code: '32433', name: 'Simorre', population: 688, lat: 43.4493, lon: 0.7347 },
	{ code: '32410', name: 'Samatan', population: 2517, lat: 43.4931, lon: 0.9297 },
	{ code: '32160', name: "L'Isle-Jourdain", population: 9537, lat: 43.6136, lon: 1.0819 },
	{ code: '32107', name: 'Condom', population: 6473, lat: 43.9578, lon: 0.3725 },
	{ code: '32119', name: 'Eauze', population: 4108, lat: 43.8606, lon: 0.1019 }
] as const;

export async function insertTestCommunes(db: Db): Promise<void> {
	await db
		.insert(epcisTable)
		.values({ code: '200023737', name: 'CC Savès', kind: 'CC' })
		.onConflictDoNothing();
	await db
		.insert(communesTable)
		.values(
			TEST_COMMUNES.map((c) => ({
				code: c.code,
				name: c.name,
				departementCode: '32',
				epciCode: '200023737',
				population: c.population,
				centroidLat: c.lat,
				centroidLon: c.lon
			}))
		)
		.onConflictDoNothing();
}

export async function insertTestUser(
	db: Db,
	{
		role,
		programmeId,
		email,
		organisationId = null,
		locale = 'fr'
	}: {
		role: Role;
		programmeId: string;
		email: string;
		organisationId?: string | null;
		locale?: 'fr' | 'en';
	}
): Promise<{ user: User; actor: Actor }> {
	const [user] = await insertTestUsers(db, {
		name: email.split('@')[0],
		email,
		role,
		programmeId,
		organisationId,
		locale
	});
	return { user, actor: toActor(user) };
}

export async function insertTestOrganisation(
	db: Db,
	{
		programmeId,
		name,
		kind,
		email = null
	}: { programmeId: string; name: string; kind: OrganisationKind; email?: string | null }
) {
	const [organisation] = await db
		.insert(organisationsTable)
		.values({ programmeId, name, kind, email })
		.returning();
	return organisation;
}

/** Two programmes (Gers with Toulouse as metropole, Lot) and the test communes. */
export async function createTestProgrammes(db: Db) {
	await insertTestCommunes(db);
	const { programme } = await createProgramme(
		{ input: { slug: 'gers', name: 'Gers', departements: ['32'], metropoleCode: '31555' } },
		{ db }
	);
	const { programme: other } = await createProgramme(
		{ input: { slug: 'lot', name: 'Lot', departements: ['46', '32'] } },
		{ db }
	);
	return { programme, other };
}
