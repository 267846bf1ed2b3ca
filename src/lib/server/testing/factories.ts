import { eq } from 'drizzle-orm';
import type { Actor } from '../auth/actor.ts';
import type { Db } from '../db/index.ts';
import {
	communesTable,
	epcisTable,
	type Case,
	type OrganisationKind,
	type Person,
	type Role,
	type User,
	usersTable
} from '../db/schema/index.ts';
import {
	insertUsersWithMemberships,
	type NewProgrammeUser,
	type ProgrammeUser
} from '../domain/account/account.repository.ts';
import { actorOfUser, toActor } from '../domain/account/account.service.ts';
import { createCase } from '../domain/case/case-intake.service.ts';
import { moveCaseToStage } from '../domain/case/case-pipeline.service.ts';
import type { CreateCaseInput } from '../domain/case/case.schemas.ts';
import { createEvent } from '../domain/event/event.service.ts';
import type { CreateEventInput } from '../domain/event/event.schemas.ts';
import { createOffer } from '../domain/offer/offer.service.ts';
import type { CreateOfferInput } from '../domain/offer/offer.schemas.ts';
import { createOrganisation } from '../domain/organisation/organisation.service.ts';
import { createProgramme } from '../domain/programme/programme.service.ts';
import { createVillage } from '../domain/village/village.service.ts';
import type { CreateVillageInput } from '../domain/village/village.schemas.ts';

/**
 * Seeded fixtures for the database tests, built through the real services wherever one exists
 * (so a fixture stays valid when a rule changes). Reference data (communes) has no service
 * and is written directly, as the COG import does.
 */

/** A few real Gers communes with their centroids (enough for most tests; no COG import). */
export const TEST_COMMUNES = [
	{ code: '32013', name: 'Auch', population: 22428, lat: 43.6465, lon: 0.5855 },
	{ code: '32433', name: 'Simorre', population: 688, lat: 43.4493, lon: 0.7347 },
	{ code: '32410', name: 'Samatan', population: 2517, lat: 43.4931, lon: 0.9297 },
	{ code: '32160', name: "L'Isle-Jourdain", population: 9537, lat: 43.6136, lon: 1.0819 },
	{ code: '32107', name: 'Condom', population: 6473, lat: 43.9578, lon: 0.3725 },
	{ code: '32119', name: 'Eauze', population: 4108, lat: 43.8606, lon: 0.1019 }
] as const;

export type TestCommune = typeof communesTable.$inferInsert;

/**
 * Communes are reference data, shared by programmes and written by the COG import (no service
 * takes one commune): without `communes`, the TEST_COMMUNES and their EPCI. Kept if already there.
 */
export async function insertTestCommunes(db: Db, communes?: TestCommune | TestCommune[]): Promise<void> {
	if (communes) {
		const rows = Array.isArray(communes) ? communes : [communes];
		if (rows.length) await db.insert(communesTable).values(rows).onConflictDoNothing();
		return;
	}
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

/** A programme through the programme service: Gers (32) unless told otherwise. */
export async function createTestProgramme(
	db: Db,
	input: { slug?: string; name?: string; departements?: string[]; metropoleCode?: string } = {}
) {
	const {
		slug = 'gers',
		name = slug === 'gers' ? 'Gers' : `Programme ${slug}`,
		departements = ['32']
	} = input;
	const { programme } = await createProgramme({ input: { ...input, slug, name, departements } }, { db });
	return programme;
}

/** Two programmes (Gers with Toulouse as metropole, Lot) and the test communes. */
export async function createTestProgrammes(db: Db) {
	await insertTestCommunes(db);
	const programme = await createTestProgramme(db, {
		slug: 'gers',
		name: 'Gers',
		departements: ['32'],
		metropoleCode: '31555'
	});
	const other = await createTestProgramme(db, { slug: 'lot', name: 'Lot', departements: ['46', '32'] });
	return { programme, other };
}

/**
 * Test users, each with an active membership of their programme carrying their role (and
 * organisation for partners). Returns the users with their role and scope.
 */
export async function insertTestUsers(
	db: Db,
	users: NewProgrammeUser | NewProgrammeUser[]
): Promise<ProgrammeUser[]> {
	return insertUsersWithMemberships({ db, users: Array.isArray(users) ? users : [users] });
}

/** One user of a programme with the given role, and the actor the services receive for them. */
export async function createTestUser(
	db: Db,
	{
		role,
		programmeId,
		email,
		name = email.split('@')[0],
		organisationId = null,
		locale = 'fr'
	}: {
		role: Role;
		programmeId: string;
		email: string;
		name?: string;
		organisationId?: string | null;
		locale?: 'fr' | 'en';
	}
): Promise<{ user: User; actor: Actor }> {
	const [user] = await insertTestUsers(db, { name, email, role, programmeId, organisationId, locale });
	return { user, actor: toActor(user) };
}

/** The actor of an existing user (e.g. the candidate account that applying created). */
export async function actorOfUserId(db: Db, userId: string): Promise<Actor> {
	const [user] = await db.select().from(usersTable).where(eq(usersTable.id, userId));
	const actor = user ? await actorOfUser({ user }, { db }) : null;
	if (!actor) throw new Error(`no actor for user ${userId}`);
	return actor;
}

/** A partner organisation through the organisation service. */
export async function createTestOrganisation(
	db: Db,
	{
		programmeId,
		name,
		kind,
		email = null
	}: { programmeId: string; name: string; kind: OrganisationKind; email?: string | null }
) {
	const { organisation } = await createOrganisation(
		{ input: { programmeId, name, kind, ...(email ? { email } : {}) } },
		{ db }
	);
	return organisation;
}

/** A village through the village service (a partner of the programme unless told otherwise). */
export async function createTestVillage(db: Db, input: CreateVillageInput) {
	const { village } = await createVillage({ input }, { db });
	return village;
}

/** An event through the event service: a published workshop in a village hall unless told otherwise. */
export async function createTestEvent(
	db: Db,
	input: Omit<CreateEventInput, 'kind' | 'titleFr'> & Partial<Pick<CreateEventInput, 'kind' | 'titleFr'>>
) {
	const { event } = await createEvent(
		{ input: { kind: 'workshop', titleFr: 'Atelier', address: 'Salle des fêtes, Lectoure', ...input } },
		{ db }
	);
	return event;
}

/** An offer through the offer service (published now unless `publishedAt` says otherwise). */
export async function createTestOffer(db: Db, input: CreateOfferInput, { now }: { now?: Date } = {}) {
	const { offer } = await createOffer({ input }, { db, ...(now ? { now } : {}) });
	return offer;
}

export type TestCaseOptions = {
	/** The staff member entering the case (an advisor or admin of the programme). */
	actor: Actor;
	/** The candidate and household, as the staff entry form takes them (first and last name default). */
	input?: Partial<CreateCaseInput>;
	/** A later stage to move the case to, through the pipeline service. */
	stage?: string;
	installedOn?: string;
	installedCommuneCode?: string;
	/** With stage left_territory: the departure date (the case is installed first). */
	leftOn?: string;
	/** The reason a move back, an abandonment or a departure needs. */
	reason?: string;
	/** The clock of the services (creation and stage moves). */
	now?: Date;
};

/**
 * A case as staff enter it (the case service's staff entry), then moved to `stage` through the
 * pipeline service, so its history, audit and timeline are the ones the application writes.
 */
export async function createTestCase(
	db: Db,
	{ actor, input = {}, stage, installedOn, installedCommuneCode, leftOn, reason, now }: TestCaseOptions
): Promise<{ case: Case; candidate: Person; persons: Person[] }> {
	const created = await createCase(
		{ actor, input: { firstName: 'Camille', lastName: 'Test', source: 'phone', ...input } },
		{ db, ...(now ? { now } : {}) }
	);
	let kase = created.case;
	const move = async (to: string) => {
		({ case: kase } = await moveCaseToStage(
			{ actor, caseId: kase.id, stage: to, installedOn, installedCommuneCode, leftOn, reason },
			{ db, ...(now ? { now } : {}) }
		));
	};
	if (stage === 'left_territory' && kase.stage !== 'installed') await move('installed');
	if (stage && stage !== kase.stage) await move(stage);
	const candidate = created.persons.find((person) => person.householdRole === 'candidate')!;
	return { case: kase, candidate, persons: created.persons };
}
