import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	communesTable,
	memberProfilesTable,
	usersTable,
	verificationsTable,
	type MemberProfile
} from '../../db/schema/index.ts';
import { EARTH_RADIUS_KM } from '../../../domain/geo.ts';
import { SEARCH_FOLD_FROM, SEARCH_FOLD_TO } from '../../../domain/search.ts';

export async function findProfileById({
	db,
	programmeId,
	profileId
}: {
	db: Db;
	programmeId: string;
	profileId: string;
}): Promise<(MemberProfile & { email: string }) | null> {
	const [row] = await db
		.select({ profile: memberProfilesTable, email: usersTable.email })
		.from(memberProfilesTable)
		.innerJoin(usersTable, eq(usersTable.id, memberProfilesTable.userId))
		.where(and(eq(memberProfilesTable.id, profileId), eq(memberProfilesTable.programmeId, programmeId)));
	return row ? { ...row.profile, email: row.email } : null;
}

export async function findProfileByUserId({
	db,
	programmeId,
	userId
}: {
	db: Db;
	programmeId: string;
	userId: string;
}): Promise<MemberProfile | null> {
	const [row] = await db
		.select()
		.from(memberProfilesTable)
		.where(and(eq(memberProfilesTable.userId, userId), eq(memberProfilesTable.programmeId, programmeId)));
	return row ?? null;
}

/** The member profiles that came from a household (its candidate, usually one). */
export async function findProfilesOfCase({
	db,
	programmeId,
	caseId
}: {
	db: Db;
	programmeId: string;
	caseId: string;
}): Promise<MemberProfile[]> {
	return db
		.select()
		.from(memberProfilesTable)
		.where(and(eq(memberProfilesTable.caseId, caseId), eq(memberProfilesTable.programmeId, programmeId)));
}

export async function insertProfile({
	db,
	values
}: {
	db: Db;
	values: typeof memberProfilesTable.$inferInsert;
}): Promise<MemberProfile> {
	const [row] = await db.insert(memberProfilesTable).values(values).returning();
	return row;
}

export async function updateProfile({
	db,
	profileId,
	values
}: {
	db: Db;
	profileId: string;
	values: Partial<typeof memberProfilesTable.$inferInsert>;
}): Promise<MemberProfile> {
	const [row] = await db
		.update(memberProfilesTable)
		.set({ ...values, updatedAt: new Date() })
		.where(eq(memberProfilesTable.id, profileId))
		.returning();
	return row;
}

/**
 * A one-time token in better-auth's own format (`reset-password:<token>` → user id), so the
 * invitation link opens the usual /reset-password page where the member sets a password.
 */
export async function insertPasswordToken({
	db,
	userId,
	token,
	expiresAt
}: {
	db: Db;
	userId: string;
	token: string;
	expiresAt: Date;
}): Promise<void> {
	await db
		.insert(verificationsTable)
		.values({ identifier: `reset-password:${token}`, value: userId, expiresAt });
}

/** The SQL that folds a commune name as queryTokens() folds typed words: "Saint-Clar" → "saint clar". */
const foldedCommuneName = sql`translate(lower(regexp_replace(${communesTable.name}, '[^[:alnum:]]+', ' ', 'g')), ${SEARCH_FOLD_FROM}, ${SEARCH_FOLD_TO})`;

/** Communes whose folded name is one of these phrases; the programme's départements first. */
export async function findCommunesByFoldedNames({
	db,
	phrases,
	departements
}: {
	db: Db;
	phrases: string[];
	departements: string[];
}): Promise<{ code: string; name: string; folded: string; inProgramme: boolean }[]> {
	if (phrases.length === 0) return [];
	const rows = await db
		.select({
			code: communesTable.code,
			name: communesTable.name,
			folded: sql<string>`${foldedCommuneName}`,
			departementCode: communesTable.departementCode,
			population: communesTable.population
		})
		.from(communesTable)
		.where(inArray(foldedCommuneName, phrases));
	return rows
		.map((row) => ({
			code: row.code,
			name: row.name,
			folded: row.folded,
			inProgramme: departements.includes(row.departementCode),
			population: row.population ?? 0
		}))
		.sort((a, b) => Number(b.inProgramme) - Number(a.inProgramme) || b.population - a.population)
		.map(({ population: _population, ...row }) => row);
}

export type DirectoryQuery = {
	programmeId: string;
	/** Which folded column and which visibility levels the filters may look at. */
	audience: 'public' | 'members';
	/** Every inner list must match at least one of its patterns (folded, "contains"). */
	terms: string[][];
	/** The profile speaks at least one of these (visible languages only). */
	languages: string[];
	communeCode: string | null;
	near: { lat: number; lon: number; km: number } | null;
	limit: number;
};

export type DirectoryRow = { profile: MemberProfile; email: string; distanceKm: number | null };

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Listed profiles only (`is_listed`): an unlisted member is never returned, whoever asks.
 * Filters only look at fields visible to the audience, so a search cannot reveal a hidden value.
 */
export async function searchListedProfiles({
	db,
	query
}: {
	db: Db;
	query: DirectoryQuery;
}): Promise<DirectoryRow[]> {
	const p = memberProfilesTable;
	const levels = query.audience === 'public' ? ['public'] : ['public', 'members'];
	const visible = (field: string) =>
		sql`coalesce(${p.visibility}->>${field}, 'hidden') in (${sql.join(
			levels.map((level) => sql`${level}`),
			sql`, `
		)})`;
	const column = query.audience === 'public' ? p.searchPublic : p.searchMembers;
	const conditions: (SQL | undefined)[] = [eq(p.programmeId, query.programmeId), eq(p.isListed, true)];
	for (const patterns of query.terms) {
		conditions.push(
			sql`(${sql.join(
				patterns.map((pattern) => sql`${column} like ${'%' + escapeLike(pattern) + '%'}`),
				sql` or `
			)})`
		);
	}
	if (query.languages.length > 0) {
		conditions.push(
			sql`(${visible('languages')} and (${sql.join(
				query.languages.map((code) => sql`${p.languages} @> ${JSON.stringify([code])}::jsonb`),
				sql` or `
			)}))`
		);
	}
	if (query.communeCode)
		conditions.push(sql`(${visible('commune')} and ${p.communeCode} = ${query.communeCode})`);
	const lat = query.near ? sql`${query.near.lat}::double precision` : sql`null`;
	const lon = query.near ? sql`${query.near.lon}::double precision` : sql`null`;
	const distance = query.near
		? sql<number>`(2 * ${sql.raw(String(EARTH_RADIUS_KM))} * asin(least(1, sqrt(
				power(sin(radians(${communesTable.centroidLat} - ${lat}) / 2), 2) +
				cos(radians(${lat})) * cos(radians(${communesTable.centroidLat})) *
				power(sin(radians(${communesTable.centroidLon} - ${lon}) / 2), 2)))))`
		: sql<null>`null`;
	if (query.near) {
		conditions.push(visible('commune'));
		conditions.push(sql`${communesTable.centroidLat} is not null`);
		conditions.push(sql`${distance} <= ${query.near.km}::double precision`);
	}
	const rows = await db
		.select({ profile: p, email: usersTable.email, distanceKm: distance })
		.from(p)
		.innerJoin(usersTable, eq(usersTable.id, p.userId))
		.leftJoin(communesTable, eq(communesTable.code, p.communeCode))
		.where(and(...conditions))
		.orderBy(...(query.near ? [asc(distance)] : []), desc(p.updatedAt), asc(p.id))
		.limit(query.limit);
	return rows.map((row) => ({
		profile: row.profile,
		email: row.email,
		distanceKm: row.distanceKm === null ? null : Math.round(Number(row.distanceKm) * 10) / 10
	}));
}

/** Ids of listed profiles (the sitemap). */
export async function findListedProfileIds({
	db,
	programmeId
}: {
	db: Db;
	programmeId: string;
}): Promise<{ id: string; updatedAt: Date }[]> {
	return db
		.select({ id: memberProfilesTable.id, updatedAt: memberProfilesTable.updatedAt })
		.from(memberProfilesTable)
		.where(and(eq(memberProfilesTable.programmeId, programmeId), eq(memberProfilesTable.isListed, true)))
		.orderBy(asc(memberProfilesTable.id));
}

/**
 * Listed profiles of a commune whose story the member made public, most recently updated first:
 * the stories told on a village page.
 */
export async function findPublicStories({
	db,
	programmeId,
	communeCode,
	limit
}: {
	db: Db;
	programmeId: string;
	communeCode: string;
	limit: number;
}): Promise<MemberProfile[]> {
	return db
		.select()
		.from(memberProfilesTable)
		.where(
			and(
				eq(memberProfilesTable.programmeId, programmeId),
				eq(memberProfilesTable.communeCode, communeCode),
				eq(memberProfilesTable.isListed, true),
				sql`${memberProfilesTable.visibility} ->> 'story' = 'public'`,
				sql`coalesce(trim(${memberProfilesTable.story}), '') <> ''`
			)
		)
		.orderBy(desc(memberProfilesTable.updatedAt))
		.limit(limit);
}
