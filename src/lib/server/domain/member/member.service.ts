import { findCommuneCentres } from '../territory/territory.repository.ts';
import { randomBytes } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import * as v from 'valibot';
import type { Actor } from '../../auth/actor.ts';
import { isStaff } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { MemberProfile } from '../../db/schema/index.ts';
import { translate } from '../../../i18n/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput, ValidationError } from '../../validation.ts';
import {
	findMembership,
	findUserByEmail,
	insertMembership,
	findUserInProgramme,
	insertUserWithPassword,
	updateMembership,
	type ProgrammeUser
} from '../account/account.repository.ts';
import { caseNotFound } from '../case/case.errors.ts';
import {
	findCaseById,
	findCasePersons,
	findProgrammePipeline,
	insertActivity
} from '../case/case.repository.ts';
import { isInstalledStage, resolvePipeline } from '../case/case.rules.ts';
import { recordSignOfLife } from '../follow-up/follow-up.service.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import {
	memberAlreadyMember,
	memberCaseNotInstalled,
	memberEmailTaken,
	memberForbidden,
	memberNoCandidate,
	memberNoEmail,
	memberNotFound
} from './member.errors.ts';
import { queueMemberInvitationMail } from './member.mails.ts';
import {
	findCommunesByFoldedNames,
	findListedProfileIds,
	findPublicStories,
	findProfileById,
	findProfileByUserId,
	findProfilesOfCase,
	insertPasswordToken,
	insertProfile,
	searchListedProfiles,
	updateProfile
} from './member.repository.ts';
import {
	candidatePhrases,
	DEFAULT_NEAR_KM,
	fullVisibility,
	parseDirectoryQuery,
	projectProfile,
	queryTokens,
	type Audience,
	type DirectoryProfile
} from './member.rules.ts';
import {
	directorySearchSchema,
	inviteMemberSchema,
	memberProfileIdSchema,
	updateAmbassadorSchema,
	updateProfileSchema,
	type DirectorySearchInput,
	type InviteMemberInput,
	type UpdateAmbassadorInput,
	type UpdateProfileInput
} from './member.schemas.ts';

const log = createLogger({ namespace: 'member:service' });

type Deps = { db: Db; now?: Date };

/** How long the invitation link lets the member set a password. */
export const INVITATION_TTL_DAYS = 14;

/**
 * Makes the candidate of an installed household a member: an account (role member) for
 * their email, a profile filled from the case — not listed until they opt in — an
 * invitation email with a link to set their password, and an entry on the case timeline.
 */
export async function inviteMember(
	{ actor, input }: { actor: Actor; input: InviteMemberInput },
	{ db, config, now = new Date() }: Deps & { config: Pick<Config, 'smtpUrl' | 'origin' | 'port'> }
): Promise<{ user: ProgrammeUser; profile: MemberProfile }> {
	if (!isStaff(actor)) throw memberForbidden({ userId: actor.userId });
	const { caseId } = parseInput(inviteMemberSchema, input);
	const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
	const token = randomBytes(24).toString('base64url');
	const result = await db.transaction(async (tx) => {
		const kase = await findCaseById({ db: tx, programmeId: actor.programmeId, caseId, forUpdate: true });
		if (!kase) throw caseNotFound({ caseId });
		const pipeline = resolvePipeline(await findProgrammePipeline({ db: tx, programmeId: kase.programmeId }));
		if (!isInstalledStage(pipeline, kase.stage)) throw memberCaseNotInstalled({ stage: kase.stage });
		const candidate = (await findCasePersons({ db: tx, caseId })).find(
			(p) => p.householdRole === 'candidate'
		);
		if (!candidate) throw memberNoCandidate({ caseId });
		if (!candidate.email) throw memberNoEmail({ caseId });
		const existingProfiles = await findProfilesOfCase({ db: tx, programmeId: kase.programmeId, caseId });
		if (existingProfiles.some((profile) => profile.personId === candidate.id))
			throw memberAlreadyMember({ caseId });

		const locale = candidate.languages.length === 0 || candidate.languages.includes('fr') ? 'fr' : 'en';
		const name = [candidate.firstName, candidate.lastName].filter(Boolean).join(' ') || candidate.email;
		let user = await findUserByEmail({ db: tx, email: candidate.email });
		if (user) {
			const membership = await findMembership({ db: tx, userId: user.id, programmeId: kase.programmeId });
			if (membership?.role === 'member') throw memberAlreadyMember({ caseId });
			// The household's own candidate account becomes the member account; any other is not ours to take.
			if (user.id !== kase.candidateUserId || !membership) throw memberEmailTaken({ caseId });
			await updateMembership({ db: tx, membershipId: membership.id, values: { role: 'member' } });
		} else {
			user = await insertUserWithPassword({
				db: tx,
				user: { email: candidate.email, name, locale, isDemo: kase.isDemo, emailVerified: false },
				passwordHash
			});
			await insertMembership({
				db: tx,
				values: { userId: user.id, programmeId: kase.programmeId, role: 'member' }
			});
		}
		const profile = await insertProfile({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				userId: user.id,
				caseId: kase.id,
				personId: candidate.id,
				displayName: name,
				skills: candidate.profession ? [candidate.profession] : [],
				languages: candidate.languages,
				communeCode: kase.installedCommuneCode,
				isListed: false,
				isDemo: kase.isDemo
			}
		});
		await insertPasswordToken({
			db: tx,
			userId: user.id,
			token,
			expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000)
		});
		const programme = await findProgrammeById({ db: tx, programmeId: kase.programmeId });
		await queueMemberInvitationMail(
			{
				programmeId: kase.programmeId,
				caseId: kase.id,
				to: candidate.email,
				locale: user.locale === 'en' ? 'en' : locale,
				name: candidate.firstName ?? name,
				programmeName: programme?.name ?? 'soho',
				token
			},
			{ db: tx, config }
		);
		await insertActivity({
			db: tx,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'membership',
				occurredAt: now,
				authorId: actor.userId,
				summary: translate(actor.locale, 'member_activity_invited', { name }),
				data: { profileId: profile.id, userId: user.id }
			}
		});
		const member = await findUserInProgramme({ db: tx, programmeId: kase.programmeId, userId: user.id });
		return { user: member!, profile };
	});
	log.info({ caseId, profileId: result.profile.id, userId: result.user.id }, 'Member invited');
	return result;
}

function assertMember(actor: Actor): void {
	if (actor.role !== 'member') throw memberForbidden({ userId: actor.userId });
}

async function ownProfile(db: Db, actor: Actor): Promise<MemberProfile> {
	assertMember(actor);
	const profile = await findProfileByUserId({ db, programmeId: actor.programmeId, userId: actor.userId });
	if (!profile) throw memberNotFound({ userId: actor.userId });
	return profile;
}

/** The signed-in member's own profile, with commune names for the form. */
export async function getOwnProfile(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ profile: MemberProfile; communeName: string | null }> {
	assertMember(actor);
	// A member account made without an invitation (e.g. `soho user create`) gets an empty, unlisted profile.
	const profile =
		(await findProfileByUserId({ db, programmeId: actor.programmeId, userId: actor.userId })) ??
		(await insertProfile({
			db,
			values: {
				programmeId: actor.programmeId,
				userId: actor.userId,
				displayName: actor.name || actor.email,
				isListed: false,
				isDemo: actor.isDemo
			}
		}));
	const [commune] = profile.communeCode ? await findCommuneCentres({ db, codes: [profile.communeCode] }) : [];
	return {
		profile: { ...profile, visibility: fullVisibility(profile.visibility) },
		communeName: commune?.name ?? null
	};
}

async function signOfLife(db: Db, profile: MemberProfile, at: Date): Promise<void> {
	if (!profile.caseId) return;
	await recordSignOfLife(
		{ programmeId: profile.programmeId, caseId: profile.caseId, at, source: 'directory' },
		{ db }
	);
}

/**
 * The member edits their profile: fields, who sees each one, and the opt-in to the
 * directory. Counts as a sign of life of their household.
 */
export async function updateOwnProfile(
	{ actor, input }: { actor: Actor; input: UpdateProfileInput },
	{ db, now = new Date() }: Deps
): Promise<{ profile: MemberProfile }> {
	assertMember(actor);
	const data = parseInput(updateProfileSchema, input);
	return db.transaction(async (tx) => {
		const current = await ownProfile(tx, actor);
		if (data.communeCode) {
			const [commune] = await findCommuneCentres({ db: tx, codes: [data.communeCode] });
			if (!commune) throw new ValidationError([{ field: 'communeCode', code: 'member.unknown_commune' }]);
		}
		const visibility = fullVisibility({
			...fullVisibility(current.visibility),
			...Object.fromEntries(Object.entries(data.visibility).filter(([, value]) => value !== undefined))
		});
		const profile = await updateProfile({
			db: tx,
			profileId: current.id,
			values: {
				displayName: data.displayName,
				headline: data.headline ?? null,
				skills: data.skills,
				services: data.services ?? null,
				story: data.story ?? null,
				languages: data.languages,
				communeCode: data.communeCode ?? null,
				website: data.website ?? null,
				isListed: data.isListed,
				visibility
			}
		});
		await signOfLife(tx, profile, now);
		return { profile };
	});
}

/** The member volunteers (or stops volunteering) as an ambassador. */
export async function updateOwnAmbassadorOffer(
	{ actor, input }: { actor: Actor; input: UpdateAmbassadorInput },
	{ db, now = new Date() }: Deps
): Promise<{ profile: MemberProfile }> {
	assertMember(actor);
	const data = parseInput(updateAmbassadorSchema, input);
	return db.transaction(async (tx) => {
		const current = await ownProfile(tx, actor);
		const profile = await updateProfile({
			db: tx,
			profileId: current.id,
			values: {
				isAmbassador: data.isAmbassador,
				ambassadorAvailability: data.ambassadorAvailability ?? null,
				ambassadorLanguages: data.ambassadorLanguages
			}
		});
		await signOfLife(tx, profile, now);
		return { profile };
	});
}

/** Who sees what in the directory: visitors the public fields, members and staff of the programme more. */
function audienceOf(actor: Actor | null, programmeId: string): Exclude<Audience, 'owner'> {
	if (!actor || actor.programmeId !== programmeId) return 'public';
	return actor.role === 'member' || isStaff(actor) ? 'members' : 'public';
}

export type DirectoryEntry = DirectoryProfile & { communeName: string | null; distanceKm: number | null };

async function withCommuneNames(
	db: Db,
	rows: { profile: DirectoryProfile; distanceKm: number | null }[]
): Promise<DirectoryEntry[]> {
	const codes = [...new Set(rows.map((row) => row.profile.communeCode).filter((c): c is string => !!c))];
	const names = new Map((await findCommuneCentres({ db, codes })).map((c) => [c.code, c.name]));
	return rows.map(({ profile, distanceKm }) => ({
		...profile,
		communeName: profile.communeCode ? (names.get(profile.communeCode) ?? null) : null,
		// The distance tells where someone lives: only shown when the commune is.
		distanceKm: profile.communeCode ? distanceKm : null
	}));
}

/**
 * The public directory: listed members only, each with the fields the viewer may see.
 * The text may name languages ("néerlandais", "Dutch") and a commune ("Lectoure"): the
 * first filter on spoken languages, the second on distance (DEFAULT_NEAR_KM unless given).
 */
export async function searchDirectory(
	{ actor, programmeId, input }: { actor: Actor | null; programmeId: string; input: DirectorySearchInput },
	{ db }: Deps
): Promise<{
	profiles: DirectoryEntry[];
	understood: {
		languages: string[];
		/** `isLocated` false: the commune's position is unknown, so only its own members match. */
		near: { code: string; name: string; km: number; isLocated: boolean } | null;
	};
}> {
	const data = parseInput(directorySearchSchema, input);
	const audience = audienceOf(actor, programmeId);
	const tokens = queryTokens(data.q);
	const programme = await findProgrammeById({ db, programmeId });
	const communes = await findCommunesByFoldedNames({
		db,
		phrases: candidatePhrases(tokens),
		departements: programme?.departements ?? []
	});
	const byPhrase = new Map<string, string>();
	for (const commune of communes)
		if (!byPhrase.has(commune.folded)) byPhrase.set(commune.folded, commune.code);
	const parsed = parseDirectoryQuery(data.q, byPhrase);
	const languages = [...new Set([...parsed.languages, ...(data.language ? [data.language] : [])])];
	const nearCode = data.near ?? parsed.communeCode;
	const km = data.radiusKm ?? DEFAULT_NEAR_KM;
	const [nearCommune] = nearCode ? await findCommuneCentres({ db, codes: [nearCode] }) : [];
	const near =
		nearCommune && nearCommune.lat !== null && nearCommune.lon !== null
			? { lat: nearCommune.lat, lon: nearCommune.lon, km }
			: null;
	const rows = await searchListedProfiles({
		db,
		query: {
			programmeId,
			audience,
			terms: parsed.terms.map((term) => term.patterns),
			languages,
			// A commune without a known centre can only match exactly.
			communeCode: data.commune ?? (nearCommune && !near ? nearCommune.code : null),
			near,
			limit: data.limit
		}
	});
	const profiles = await withCommuneNames(
		db,
		rows.map((row) => ({
			profile: projectProfile(row.profile, audience, row.email),
			distanceKm: row.distanceKm
		}))
	);
	return {
		profiles,
		understood: {
			languages,
			near: nearCommune
				? { code: nearCommune.code, name: nearCommune.name, km, isLocated: near !== null }
				: null
		}
	};
}

/**
 * One directory profile. Unlisted profiles answer not found to everyone but their owner
 * (who sees their own page as a preview).
 */
export async function getDirectoryProfile(
	{ actor, programmeId, profileId }: { actor: Actor | null; programmeId: string; profileId: string },
	{ db }: Deps
): Promise<{ profile: DirectoryEntry; isOwner: boolean; isListed: boolean }> {
	// A malformed id is as unknown as a missing one: the page answers 404 either way.
	if (!v.is(memberProfileIdSchema, profileId)) throw memberNotFound({ profileId });
	const id = profileId;
	const row = await findProfileById({ db, programmeId, profileId: id });
	const isOwner = !!row && actor?.userId === row.userId;
	if (!row || (!row.isListed && !isOwner)) throw memberNotFound({ profileId: id });
	const audience: Audience = isOwner ? 'owner' : audienceOf(actor, programmeId);
	const [profile] = await withCommuneNames(db, [
		{ profile: projectProfile(row, audience, row.email), distanceKm: null }
	]);
	return { profile, isOwner, isListed: row.isListed };
}

/** Listed profiles for the sitemap. */
export async function listDirectorySitemap(
	{ programmeId }: { programmeId: string },
	{ db }: Deps
): Promise<{ profiles: { id: string; updatedAt: Date }[] }> {
	return { profiles: await findListedProfileIds({ db, programmeId }) };
}

export type VillageStory = {
	profileId: string;
	/** Null when the member keeps their name to members: the story is then told anonymously. */
	name: string | null;
	headline: string | null;
	/** Markdown, rendered sanitised by the page. */
	story: string;
	isDemo: boolean;
};

/**
 * The stories of solos living in a commune, for its village page: only listed members who made
 * their story public; their name and headline only if those are public too. Public, no actor.
 */
export async function listVillageStories(
	{ programmeId, communeCode, limit = 6 }: { programmeId: string; communeCode: string; limit?: number },
	{ db }: Deps
): Promise<{ stories: VillageStory[] }> {
	const profiles = await findPublicStories({ db, programmeId, communeCode, limit });
	return {
		stories: profiles.map((profile) => {
			const visibility = fullVisibility(profile.visibility);
			return {
				profileId: profile.id,
				name: visibility.name === 'public' ? profile.displayName : null,
				headline: visibility.headline === 'public' ? profile.headline : null,
				story: profile.story!,
				isDemo: profile.isDemo
			};
		})
	};
}
