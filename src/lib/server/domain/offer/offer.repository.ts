import { and, asc, eq, gt, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import {
	communeConnectivityTable,
	communesTable,
	offerDisclosuresTable,
	offersTable,
	organisationsTable,
	membershipsTable,
	usersTable,
	villageCommitteeMembersTable,
	villagesTable,
	type ConnectionLevel,
	type Offer,
	type OfferKind
} from '../../db/schema/index.ts';
import { ofActiveProgramme } from '../../db/active-programme.ts';

export async function findOfferById({
	db,
	programmeId,
	offerId
}: {
	db: Db;
	programmeId: string;
	offerId: string;
}): Promise<Offer | null> {
	const [offer] = await db
		.select()
		.from(offersTable)
		.where(and(eq(offersTable.id, offerId), eq(offersTable.programmeId, programmeId)));
	return offer ?? null;
}

export async function insertOffer({
	db,
	offer
}: {
	db: Db;
	offer: typeof offersTable.$inferInsert;
}): Promise<Offer> {
	const [created] = await db.insert(offersTable).values(offer).returning();
	return created;
}

export async function updateOfferRow({
	db,
	programmeId,
	offerId,
	values
}: {
	db: Db;
	programmeId: string;
	offerId: string;
	values: Partial<typeof offersTable.$inferInsert>;
}): Promise<Offer> {
	const [updated] = await db
		.update(offersTable)
		.set(values)
		.where(and(eq(offersTable.programmeId, programmeId), eq(offersTable.id, offerId)))
		.returning();
	return updated;
}

/** An offer with its commune, village and broadband level, as lists and pages need it. */
export type OfferRow = Offer & {
	communeName: string;
	centroidLat: number | null;
	centroidLon: number | null;
	villageSlug: string | null;
	connectionLevel: ConnectionLevel | null;
};

/**
 * Offers of a programme. With `publicAt`, only those public at that instant
 * (available, published, not expired); the other filters are optional.
 */
export async function findOfferRows({
	db,
	programmeId,
	publicAt,
	offerId,
	kinds = [],
	maxPrice,
	minSurface,
	communeCode,
	villageId,
	connectionLevels,
	isAnonymisedExcluded = false,
	limit
}: {
	db: Db;
	programmeId: string;
	publicAt?: Date;
	offerId?: string;
	kinds?: OfferKind[];
	maxPrice?: number;
	minSurface?: number;
	communeCode?: string;
	villageId?: string;
	connectionLevels?: ConnectionLevel[];
	isAnonymisedExcluded?: boolean;
	/** The first rows only, in the list's order (newest published first). */
	limit?: number;
}): Promise<OfferRow[]> {
	const effectiveLevel = sql<ConnectionLevel | null>`coalesce(${communeConnectivityTable.overrideLevel}, ${communeConnectivityTable.level})`;
	const conditions: SQL[] = [eq(offersTable.programmeId, programmeId)];
	if (publicAt) {
		conditions.push(
			eq(offersTable.status, 'available'),
			lte(offersTable.publishedAt, publicAt),
			gt(offersTable.expiresAt, publicAt)
		);
	}
	if (offerId) conditions.push(eq(offersTable.id, offerId));
	if (kinds.length) conditions.push(inArray(offersTable.kind, kinds));
	if (maxPrice !== undefined) conditions.push(lte(offersTable.price, maxPrice));
	if (minSurface !== undefined) conditions.push(sql`${offersTable.surfaceM2} >= ${minSurface}`);
	if (communeCode) conditions.push(eq(offersTable.communeCode, communeCode));
	if (villageId) conditions.push(eq(offersTable.villageId, villageId));
	if (connectionLevels) conditions.push(inArray(effectiveLevel, connectionLevels));
	if (isAnonymisedExcluded) conditions.push(eq(offersTable.isAnonymised, false));
	const query = db
		.select({
			offer: offersTable,
			communeName: communesTable.name,
			centroidLat: communesTable.centroidLat,
			centroidLon: communesTable.centroidLon,
			villageSlug: villagesTable.slug,
			connectionLevel: effectiveLevel
		})
		.from(offersTable)
		.innerJoin(communesTable, eq(communesTable.code, offersTable.communeCode))
		.leftJoin(villagesTable, eq(villagesTable.id, offersTable.villageId))
		.leftJoin(communeConnectivityTable, eq(communeConnectivityTable.communeCode, offersTable.communeCode))
		.where(and(...conditions))
		.orderBy(sql`${offersTable.publishedAt} desc nulls last`, asc(offersTable.id));
	const rows = limit === undefined ? await query : await query.limit(limit);
	return rows.map(({ offer, ...rest }) => ({ ...offer, ...rest }));
}

export async function hasOfferDisclosure({
	db,
	offerId,
	userId
}: {
	db: Db;
	offerId: string;
	userId: string;
}): Promise<boolean> {
	const [row] = await db
		.select({ offerId: offerDisclosuresTable.offerId })
		.from(offerDisclosuresTable)
		.where(and(eq(offerDisclosuresTable.offerId, offerId), eq(offerDisclosuresTable.userId, userId)));
	return row !== undefined;
}

export async function insertOfferDisclosure({
	db,
	offerId,
	userId,
	approvedBy,
	approvedAt
}: {
	db: Db;
	offerId: string;
	userId: string;
	approvedBy: string;
	approvedAt: Date;
}): Promise<void> {
	await db
		.insert(offerDisclosuresTable)
		.values({ offerId, userId, approvedBy, approvedAt })
		.onConflictDoNothing();
}

/** Offers not taken that expire in (now, until] and whose owner was not reminded yet. */
export async function findOffersDueForReminder({
	db,
	programmeId,
	now,
	until,
	isRemindedIncluded = false
}: {
	db: Db;
	programmeId?: string;
	now: Date;
	until: Date;
	isRemindedIncluded?: boolean;
}): Promise<Offer[]> {
	const conditions: SQL[] = [
		ne(offersTable.status, 'taken'),
		gt(offersTable.expiresAt, now),
		lte(offersTable.expiresAt, until)
	];
	if (programmeId) conditions.push(eq(offersTable.programmeId, programmeId));
	// A suspended programme's offers remind nobody (ofActiveProgramme).
	conditions.push(ofActiveProgramme(offersTable.programmeId));
	if (!isRemindedIncluded) conditions.push(isNull(offersTable.expiryRemindedAt));
	return db
		.select()
		.from(offersTable)
		.where(and(...conditions))
		.orderBy(asc(offersTable.expiresAt), asc(offersTable.id));
}

/**
 * Marks an offer reminded, only if nobody did it meanwhile: two schedulers running at
 * once send one reminder, not two. Returns false when it was already marked.
 */
export async function claimOfferReminder({
	db,
	offerId,
	now
}: {
	db: Db;
	offerId: string;
	now: Date;
}): Promise<boolean> {
	const rows = await db
		.update(offersTable)
		.set({ expiryRemindedAt: now })
		.where(and(eq(offersTable.id, offerId), isNull(offersTable.expiryRemindedAt)))
		.returning({ id: offersTable.id });
	return rows.length === 1;
}

export type OwnerRecipient = {
	email: string;
	name: string | null;
	locale: 'fr' | 'en';
	userId: string | null;
};

/**
 * The one person to remind about an offer, by owner: the organisation's first partner
 * user (else its email); the village's contact member (else any member, else the
 * committee contact written on the page); the user who created it; the offer's contact.
 */
export async function findOfferOwnerRecipient({
	db,
	offer
}: {
	db: Db;
	offer: Offer;
}): Promise<OwnerRecipient | null> {
	const userColumns = {
		email: usersTable.email,
		name: usersTable.name,
		locale: usersTable.locale,
		userId: usersTable.id
	};
	if (offer.organisationId) {
		const [partner] = await db
			.select(userColumns)
			.from(usersTable)
			.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
			.where(
				and(
					eq(membershipsTable.organisationId, offer.organisationId),
					eq(membershipsTable.programmeId, offer.programmeId),
					eq(membershipsTable.role, 'partner'),
					eq(membershipsTable.status, 'active')
				)
			)
			.orderBy(asc(usersTable.createdAt), asc(usersTable.id))
			.limit(1);
		if (partner) return partner;
		const [organisation] = await db
			.select({ email: organisationsTable.email, name: organisationsTable.name })
			.from(organisationsTable)
			.where(
				and(
					eq(organisationsTable.id, offer.organisationId),
					eq(organisationsTable.programmeId, offer.programmeId)
				)
			);
		if (organisation?.email)
			return { email: organisation.email, name: organisation.name, locale: 'fr', userId: null };
	}
	if (offer.villageId) {
		const [member] = await db
			.select(userColumns)
			.from(villageCommitteeMembersTable)
			.innerJoin(usersTable, eq(usersTable.id, villageCommitteeMembersTable.userId))
			.where(eq(villageCommitteeMembersTable.villageId, offer.villageId))
			.orderBy(
				sql`${villageCommitteeMembersTable.isContact} desc`,
				asc(villageCommitteeMembersTable.createdAt)
			)
			.limit(1);
		if (member) return member;
		const [village] = await db
			.select({ contact: villagesTable.committeeContact })
			.from(villagesTable)
			.where(and(eq(villagesTable.id, offer.villageId), eq(villagesTable.programmeId, offer.programmeId)));
		if (village?.contact?.email) {
			return { email: village.contact.email, name: village.contact.name, locale: 'fr', userId: null };
		}
	}
	if (offer.createdBy) {
		const [creator] = await db.select(userColumns).from(usersTable).where(eq(usersTable.id, offer.createdBy));
		if (creator) return creator;
	}
	return offer.contactEmail ? { email: offer.contactEmail, name: null, locale: 'fr', userId: null } : null;
}

/** Offers of the programme by id, with their village (to check what a committee may propose). */
export async function findOfferVillage({
	db,
	programmeId,
	offerId
}: {
	db: Db;
	programmeId: string;
	offerId: string;
}): Promise<{ id: string; title: string; villageId: string | null; communeCode: string } | null> {
	const [row] = await db
		.select({
			id: offersTable.id,
			title: offersTable.titleFr,
			villageId: offersTable.villageId,
			communeCode: offersTable.communeCode
		})
		.from(offersTable)
		.where(and(eq(offersTable.programmeId, programmeId), eq(offersTable.id, offerId)));
	return row ?? null;
}

/**
 * Offers a visit or meeting may propose: those a village owns or that stand in its commune
 * (`villages` null: every offer of the programme).
 */
export async function findProposableOffers({
	db,
	programmeId,
	villages
}: {
	db: Db;
	programmeId: string;
	villages: { id: string; communeCode: string }[] | null;
}): Promise<{ id: string; title: string; villageId: string | null; communeCode: string }[]> {
	if (villages && villages.length === 0) return [];
	return db
		.select({
			id: offersTable.id,
			title: offersTable.titleFr,
			villageId: offersTable.villageId,
			communeCode: offersTable.communeCode
		})
		.from(offersTable)
		.where(
			and(
				eq(offersTable.programmeId, programmeId),
				villages
					? or(
							inArray(
								offersTable.villageId,
								villages.map((village) => village.id)
							),
							inArray(
								offersTable.communeCode,
								villages.map((village) => village.communeCode)
							)
						)
					: undefined
			)
		)
		.orderBy(asc(offersTable.titleFr))
		.limit(200);
}
