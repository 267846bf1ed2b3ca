import { createHash, randomBytes } from 'node:crypto';
import { hashPassword } from 'better-auth/crypto';
import type { Actor } from '../../auth/actor.ts';
import type { Auth } from '../../auth/auth.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import {
	auditEntriesTable,
	type AuditEntry,
	type Invitation,
	type InvitationVillage,
	type Membership
} from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { accountPasswordMismatch } from '../account/account.errors.ts';
import {
	deleteSessionsOfUsers,
	findMembership,
	findUserByEmail,
	insertMembership,
	insertUserWithPassword,
	updateMembership
} from '../account/account.repository.ts';
import { accountWrongPassword } from '../account/account-security.errors.ts';
import { signIn, verifyAccountPassword } from '../account/account.service.ts';
import { insertAuditEntries } from '../audit/audit.repository.ts';
import { findOrganisationById } from '../organisation/organisation.repository.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findVillageById, upsertCommitteeMember } from '../village/village.repository.ts';
import {
	peopleAlreadyInvited,
	peopleAlreadyMember,
	peopleCannotChangeSelf,
	peopleForbidden,
	peopleInvitationExpired,
	peopleInvitationInvalid,
	peopleInvitationNotFound,
	peopleInvitationNotPending,
	peopleInvitationRevoked,
	peopleInvitationUsed,
	peopleNotFound,
	peoplePartnerOrganisationRequired,
	peopleUnknownOrganisation,
	peopleUnknownVillage,
	peopleVillageRequired
} from './people.errors.ts';
import { queueInvitationMail } from './people.mails.ts';
import {
	deleteCommitteeSeats,
	findCommitteeSeats,
	findInvitation,
	findInvitationByTokenHash,
	findInvitationIdsOfEmail,
	findOpenInvitations,
	findPeople,
	findPeopleAuditEntries,
	findPerson,
	findProgrammeOrganisationChoices,
	findProgrammeVillageChoices,
	insertInvitation,
	updateInvitation,
	type CommitteeSeat,
	type PersonRow
} from './people.repository.ts';
import {
	acceptInvitationSchema,
	acceptInvitationWithAccountSchema,
	invitationLinkSchema,
	changeRoleSchema,
	INVITATION_TTL_DAYS,
	invitationIdSchema,
	invitationTokenSchema,
	inviteSchema,
	listPeopleSchema,
	userIdSchema,
	type AcceptInvitationInput,
	type ChangeRoleInput,
	type InvitableRole,
	type InviteData,
	type InviteInput,
	type ListPeopleInput
} from './people.schemas.ts';

const log = createLogger({ namespace: 'people' });

type Deps = { db: Db };
type MailDeps = Deps & { config: Config; now?: Date };

export type InvitationState = 'pending' | 'expired' | 'accepted' | 'revoked';

export type PersonView = PersonRow & { seats: CommitteeSeat[] };
export type InvitationView = Invitation & { state: InvitationState };

/** Only the programme's admins manage people; advisors may read the list. */
function assertAdmin(actor: Actor): void {
	if (actor.role !== 'admin') throw peopleForbidden({ userId: actor.userId });
}

function assertCanRead(actor: Actor): void {
	if (actor.role !== 'admin' && actor.role !== 'advisor') throw peopleForbidden({ userId: actor.userId });
}

export function hashInvitationToken(token: string): string {
	return createHash('sha256').update(token).digest('base64url');
}

export function invitationState(invitation: Invitation, now: Date): InvitationState {
	if (invitation.acceptedAt) return 'accepted';
	if (invitation.revokedAt) return 'revoked';
	if (invitation.expiresAt.getTime() <= now.getTime()) return 'expired';
	return 'pending';
}

function newToken(now: Date): { token: string; tokenHash: string; expiresAt: Date } {
	const token = randomBytes(32).toString('base64url');
	return {
		token,
		tokenHash: hashInvitationToken(token),
		expiresAt: new Date(now.getTime() + INVITATION_TTL_DAYS * 24 * 60 * 60 * 1000)
	};
}

function audit(
	actor: Actor | null,
	entry: {
		programmeId: string;
		entityType: 'membership' | 'invitation';
		entityId: string;
		action: AuditEntry['action'];
		before?: Record<string, unknown>;
		after?: Record<string, unknown>;
	},
	at: Date
): typeof auditEntriesTable.$inferInsert {
	return {
		programmeId: entry.programmeId,
		entityType: entry.entityType,
		entityId: entry.entityId,
		caseId: null,
		action: entry.action,
		actorId: actor?.userId ?? null,
		actorLabel: actor?.name ?? 'web_form',
		at,
		before: entry.before ?? {},
		after: entry.after ?? {}
	};
}

/**
 * Checks a role's scope against the programme: committee members need villages of the
 * programme, partners an organisation of the programme. Returns the scope to record.
 */
async function resolveScope(
	{
		programmeId,
		role,
		villages,
		organisationId
	}: { programmeId: string; role: InvitableRole; villages: InvitationVillage[]; organisationId?: string },
	{ db }: Deps
): Promise<{ villages: InvitationVillage[]; organisationId: string | null }> {
	if (role === 'committee') {
		if (villages.length === 0) throw peopleVillageRequired();
		const seen = new Set<string>();
		const scoped: InvitationVillage[] = [];
		for (const seat of villages) {
			if (seen.has(seat.villageId)) continue;
			seen.add(seat.villageId);
			// A village of another programme is as good as unknown.
			const village = await findVillageById({ db, programmeId, villageId: seat.villageId });
			if (!village) throw peopleUnknownVillage({ villageId: seat.villageId });
			scoped.push(seat);
		}
		return { villages: scoped, organisationId: null };
	}
	if (role === 'partner') {
		if (!organisationId) throw peoplePartnerOrganisationRequired();
		const organisation = await findOrganisationById({ db, programmeId, organisationId });
		if (!organisation) throw peopleUnknownOrganisation({ organisationId });
		return { villages: [], organisationId: organisation.id };
	}
	return { villages: [], organisationId: null };
}

/* ------------------------------------------------------------------ reading */

/** The programme's people (search by name or email, filter by role and status) and open invitations. */
export async function listPeople(
	{ actor, input = {} }: { actor: Actor; input?: ListPeopleInput },
	{ db, now = new Date() }: Deps & { now?: Date }
): Promise<{ people: PersonView[]; invitations: InvitationView[]; canManage: boolean }> {
	assertCanRead(actor);
	const filters = parseInput(listPeopleSchema, input);
	const people = await findPeople({
		db,
		programmeId: actor.programmeId,
		q: filters.q || undefined,
		role: filters.role || undefined,
		status: filters.status || undefined
	});
	const seats = await findCommitteeSeats({
		db,
		programmeId: actor.programmeId,
		userIds: people.filter((p) => p.role === 'committee').map((p) => p.id)
	});
	const q = filters.q.toLowerCase();
	const invitations = (await findOpenInvitations({ db, programmeId: actor.programmeId }))
		.filter((i) => !q || i.email.includes(q) || i.name.toLowerCase().includes(q))
		.filter((i) => !filters.role || i.role === filters.role)
		.map((i) => ({ ...i, state: invitationState(i, now) }));
	return {
		people: people.map((person) => ({ ...person, seats: seats.filter((s) => s.userId === person.id) })),
		invitations,
		canManage: actor.role === 'admin'
	};
}

/** One person of the programme with their scope and the history of their membership and invitations. */
export async function getPerson(
	{ actor, userId }: { actor: Actor; userId: string },
	{ db }: Deps
): Promise<{ person: PersonView; history: AuditEntry[]; canManage: boolean }> {
	assertCanRead(actor);
	const id = parseInput(userIdSchema, userId);
	const person = await findPerson({ db, programmeId: actor.programmeId, userId: id });
	if (!person) throw peopleNotFound({ userId: id });
	const seats = await findCommitteeSeats({ db, programmeId: actor.programmeId, userIds: [person.id] });
	const invitationIds = await findInvitationIdsOfEmail({
		db,
		programmeId: actor.programmeId,
		email: person.email
	});
	const history = await findPeopleAuditEntries({
		db,
		programmeId: actor.programmeId,
		entityIds: [person.membershipId, ...invitationIds]
	});
	return { person: { ...person, seats }, history, canManage: actor.role === 'admin' };
}

/** The villages and organisations an admin may scope a person to. */
export async function getScopeChoices(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{
	villages: { id: string; slug: string; name: string; status: string }[];
	organisations: { id: string; name: string }[];
}> {
	assertAdmin(actor);
	return {
		villages: await findProgrammeVillageChoices({ db, programmeId: actor.programmeId }),
		organisations: await findProgrammeOrganisationChoices({ db, programmeId: actor.programmeId })
	};
}

/* ------------------------------------------------------------------ invitations */

/**
 * Invites a person by email with a role and its scope. Refused when the address already
 * has that role in the programme or a pending invitation. The email leaves through the outbox.
 */
export async function invitePerson(
	{ actor, input }: { actor: Actor; input: InviteInput },
	deps: MailDeps
): Promise<{ invitation: Invitation; token: string }> {
	assertAdmin(actor);
	const data = parseInput(inviteSchema, input);
	return inviteInto({ inviter: actor, programmeId: actor.programmeId, data }, deps);
}

/**
 * The first admin of a programme an instance admin just created (`/instance`): an invitation
 * like any other (same checks, mail and audit), sent in the instance admin's name.
 */
export async function inviteFirstAdmin(
	{
		instanceAdmin,
		programmeId,
		input
	}: {
		instanceAdmin: { userId: string; name: string };
		programmeId: string;
		input: Pick<InviteInput, 'email' | 'name' | 'locale'>;
	},
	deps: MailDeps
): Promise<{ invitation: Invitation; token: string }> {
	const data = parseInput(inviteSchema, { ...input, role: 'admin' });
	// Audit and mail need a name and an id only: the instance admin is not staff of the programme.
	const inviter = { userId: instanceAdmin.userId, name: instanceAdmin.name } as Actor;
	return inviteInto({ inviter, programmeId, data }, deps);
}

async function inviteInto(
	{ inviter: actor, programmeId, data }: { inviter: Actor; programmeId: string; data: InviteData },
	{ db, config, now = new Date() }: MailDeps
): Promise<{ invitation: Invitation; token: string }> {
	const { token, tokenHash, expiresAt } = newToken(now);
	const result = await db.transaction(async (tx) => {
		const programme = await findProgrammeById({ db: tx, programmeId });
		if (!programme) throw peopleForbidden({ userId: actor.userId });
		const scope = await resolveScope(
			{
				programmeId,
				role: data.role,
				villages: data.villages,
				organisationId: data.organisationId || undefined
			},
			{ db: tx }
		);
		const existing = await findUserByEmail({ db: tx, email: data.email });
		if (existing) {
			const membership = await findMembership({
				db: tx,
				userId: existing.id,
				programmeId
			});
			if (membership && membership.role === data.role && membership.status === 'active') {
				throw peopleAlreadyMember({ email: data.email, role: data.role });
			}
		}
		const open = (await findOpenInvitations({ db: tx, programmeId, email: data.email })).filter(
			(i) => invitationState(i, now) === 'pending'
		);
		if (open.length) throw peopleAlreadyInvited({ email: data.email });
		const invitation = await insertInvitation({
			db: tx,
			values: {
				programmeId,
				email: data.email,
				name: data.name,
				locale: data.locale,
				role: data.role,
				villages: scope.villages,
				organisationId: scope.organisationId,
				tokenHash,
				expiresAt,
				invitedBy: actor.userId,
				lastSentAt: now
			}
		});
		await queueInvitationMail(
			{
				invitation,
				token,
				programmeName: programme.name,
				inviterName: actor.name,
				expiresInDays: INVITATION_TTL_DAYS
			},
			{ db: tx, config }
		);
		await insertAuditEntries({
			db: tx,
			entries: [
				audit(
					actor,
					{
						programmeId,
						entityType: 'invitation',
						entityId: invitation.id,
						action: 'invite',
						after: {
							email: invitation.email,
							role: invitation.role,
							villages: invitation.villages,
							organisationId: invitation.organisationId
						}
					},
					now
				)
			]
		});
		return invitation;
	});
	log.info({ invitationId: result.id, programmeId: result.programmeId, by: actor.userId }, 'Person invited');
	return { invitation: result, token };
}

async function loadOpenInvitation(tx: Db, actor: Actor, invitationId: string): Promise<Invitation> {
	const id = parseInput(invitationIdSchema, invitationId);
	const invitation = await findInvitation({
		db: tx,
		programmeId: actor.programmeId,
		invitationId: id,
		forUpdate: true
	});
	if (!invitation) throw peopleInvitationNotFound({ invitationId: id });
	if (invitation.acceptedAt || invitation.revokedAt) throw peopleInvitationNotPending({ invitationId: id });
	return invitation;
}

/** Sends the invitation again with a new link (the previous link stops working) and a new expiry. */
export async function resendInvitation(
	{ actor, invitationId }: { actor: Actor; invitationId: string },
	{ db, config, now = new Date() }: MailDeps
): Promise<{ invitation: Invitation; token: string }> {
	assertAdmin(actor);
	const { token, tokenHash, expiresAt } = newToken(now);
	const invitation = await db.transaction(async (tx) => {
		const current = await loadOpenInvitation(tx, actor, invitationId);
		const programme = await findProgrammeById({ db: tx, programmeId: actor.programmeId });
		const updated = await updateInvitation({
			db: tx,
			programmeId: actor.programmeId,
			invitationId: current.id,
			values: { tokenHash, expiresAt, lastSentAt: now }
		});
		await queueInvitationMail(
			{
				invitation: updated,
				token,
				programmeName: programme?.name ?? 'soho',
				inviterName: actor.name,
				expiresInDays: INVITATION_TTL_DAYS
			},
			{ db: tx, config }
		);
		await insertAuditEntries({
			db: tx,
			entries: [
				audit(
					actor,
					{
						programmeId: actor.programmeId,
						entityType: 'invitation',
						entityId: updated.id,
						action: 'resend'
					},
					now
				)
			]
		});
		return updated;
	});
	return { invitation, token };
}

/** Revokes a pending invitation: its link stops working. */
export async function revokeInvitation(
	{ actor, invitationId }: { actor: Actor; invitationId: string },
	{ db, now = new Date() }: Deps & { now?: Date }
): Promise<{ invitation: Invitation }> {
	assertAdmin(actor);
	const invitation = await db.transaction(async (tx) => {
		const current = await loadOpenInvitation(tx, actor, invitationId);
		const updated = await updateInvitation({
			db: tx,
			programmeId: actor.programmeId,
			invitationId: current.id,
			values: { revokedAt: now }
		});
		await insertAuditEntries({
			db: tx,
			entries: [
				audit(
					actor,
					{
						programmeId: actor.programmeId,
						entityType: 'invitation',
						entityId: updated.id,
						action: 'revoke'
					},
					now
				)
			]
		});
		return updated;
	});
	return { invitation };
}

function assertUsable(invitation: Invitation | null, now: Date): asserts invitation is Invitation {
	if (!invitation) throw peopleInvitationInvalid();
	const state = invitationState(invitation, now);
	if (state === 'accepted') throw peopleInvitationUsed();
	if (state === 'revoked') throw peopleInvitationRevoked();
	if (state === 'expired') throw peopleInvitationExpired();
}

/** What the invitation page shows before the person accepts (no actor: the link is the proof). */
export async function getInvitationByToken(
	{ token }: { token: string },
	{ db, now = new Date() }: Deps & { now?: Date }
): Promise<{
	invitation: Pick<Invitation, 'email' | 'name' | 'role' | 'locale' | 'expiresAt'>;
	programmeName: string;
	hasAccount: boolean;
}> {
	const parsed = parseInput(invitationTokenSchema, token);
	const invitation = await findInvitationByTokenHash({ db, tokenHash: hashInvitationToken(parsed) });
	assertUsable(invitation, now);
	const programme = await findProgrammeById({ db, programmeId: invitation.programmeId });
	const user = await findUserByEmail({ db, email: invitation.email });
	return {
		invitation: {
			email: invitation.email,
			name: invitation.name,
			role: invitation.role,
			locale: invitation.locale,
			expiresAt: invitation.expiresAt
		},
		programmeName: programme?.name ?? 'soho',
		hasAccount: user !== null
	};
}

/**
 * Accepts an invitation. For an e-mail with no account yet, the person chooses their name and
 * password and the account is created. For an e-mail that already has one (staff of another
 * programme, say), the person signs in with that account's current password instead (checked and
 * counted like a sign-in): the link never sets nor replaces a password, so whoever else holds it
 * cannot take the account over; a person who forgot theirs resets it first. Then the membership
 * and its scope are added, and the person is signed in, acting in the invitation's programme
 * (`programmeId`: the route remembers it as their choice). A link works once.
 */
export async function acceptInvitation(
	{
		input,
		ipAddress,
		userAgent,
		browserHeaders
	}: {
		input: AcceptInvitationInput;
		ipAddress: string | null;
		userAgent?: string | null;
		browserHeaders?: Headers;
	},
	{ db, auth, config, now = new Date() }: Deps & { auth: Auth; config: Config; now?: Date }
): Promise<Awaited<ReturnType<typeof signIn>> & { programmeId: string }> {
	const { token } = parseInput(invitationLinkSchema, input);
	const tokenHash = hashInvitationToken(token);
	const link = await findInvitationByTokenHash({ db, tokenHash });
	assertUsable(link, now);
	const holder = await findUserByEmail({ db, email: link.email });
	let newAccount: { name: string; passwordHash: string } | null = null;
	let password: string;
	if (holder) {
		({ password } = parseInput(acceptInvitationWithAccountSchema, input));
		await verifyAccountPassword(
			{ userId: holder.id, email: holder.email, password, ipAddress, now },
			{ db, config }
		);
	} else {
		const data = parseInput(acceptInvitationSchema, input);
		if (data.password !== data.confirmation) throw accountPasswordMismatch();
		password = data.password;
		newAccount = { name: data.name, passwordHash: await hashPassword(data.password) };
	}
	const { email, programmeId } = await db.transaction(async (tx) => {
		const invitation = await findInvitationByTokenHash({ db: tx, tokenHash, forUpdate: true });
		assertUsable(invitation, now);
		let user = await findUserByEmail({ db: tx, email: invitation.email });
		// An account made for this e-mail since the form was read: its password was not checked.
		if ((user?.id ?? null) !== (holder?.id ?? null)) throw accountWrongPassword({ field: 'password' });
		if (!user) {
			user = await insertUserWithPassword({
				db: tx,
				user: {
					email: invitation.email,
					name: newAccount!.name,
					locale: invitation.locale,
					emailVerified: true
				},
				passwordHash: newAccount!.passwordHash
			});
		}
		const existing = await findMembership({ db: tx, userId: user.id, programmeId: invitation.programmeId });
		const values = {
			role: invitation.role,
			organisationId: invitation.organisationId,
			status: 'active' as const,
			deactivatedAt: null
		};
		const membership: Membership = existing
			? await updateMembership({ db: tx, membershipId: existing.id, values })
			: await insertMembership({
					db: tx,
					values: { userId: user.id, programmeId: invitation.programmeId, ...values }
				});
		for (const seat of invitation.villages) {
			await upsertCommitteeMember({
				db: tx,
				villageId: seat.villageId,
				userId: user.id,
				committeeRole: seat.committeeRole,
				isContact: false
			});
		}
		await updateInvitation({
			db: tx,
			programmeId: invitation.programmeId,
			invitationId: invitation.id,
			values: { acceptedAt: now }
		});
		const person = { userId: user.id, name: user.name } as Actor;
		await insertAuditEntries({
			db: tx,
			entries: [
				audit(
					person,
					{
						programmeId: invitation.programmeId,
						entityType: 'invitation',
						entityId: invitation.id,
						action: 'accept',
						after: { userId: user.id }
					},
					now
				),
				audit(
					person,
					{
						programmeId: invitation.programmeId,
						entityType: 'membership',
						entityId: membership.id,
						action: 'accept',
						before: existing ? { role: existing.role, status: existing.status } : {},
						after: {
							role: membership.role,
							organisationId: membership.organisationId,
							villages: invitation.villages
						}
					},
					now
				)
			]
		});
		log.info({ invitationId: invitation.id, userId: user.id }, 'Invitation accepted');
		return { email: invitation.email, programmeId: invitation.programmeId };
	});
	const signedIn = await signIn(
		{ input: { email, password }, ipAddress, userAgent, browserHeaders, programmeId },
		{ db, auth, config, now }
	);
	return { ...signedIn, programmeId };
}

/* ------------------------------------------------------------------ roles and status */

async function loadMembership(tx: Db, actor: Actor, userId: string): Promise<PersonRow> {
	const id = parseInput(userIdSchema, userId);
	const person = await findPerson({ db: tx, programmeId: actor.programmeId, userId: id });
	if (!person) throw peopleNotFound({ userId: id });
	if (person.id === actor.userId) throw peopleCannotChangeSelf();
	return person;
}

/** Changes a person's role and scope in the programme (their committee seats follow; their sessions end). */
export async function changePersonRole(
	{ actor, input }: { actor: Actor; input: ChangeRoleInput },
	{ db, now = new Date() }: Deps & { now?: Date }
): Promise<{ membership: Membership }> {
	assertAdmin(actor);
	const data = parseInput(changeRoleSchema, input);
	return db.transaction(async (tx) => {
		const person = await loadMembership(tx, actor, data.userId);
		const scope = await resolveScope(
			{
				programmeId: actor.programmeId,
				role: data.role,
				villages: data.villages,
				organisationId: data.organisationId || undefined
			},
			{ db: tx }
		);
		const seatsBefore = await findCommitteeSeats({
			db: tx,
			programmeId: actor.programmeId,
			userIds: [person.id]
		});
		const membership = await updateMembership({
			db: tx,
			membershipId: person.membershipId,
			values: { role: data.role, organisationId: scope.organisationId }
		});
		// A new role starts with a new sign-in: the person's sessions end at once.
		await deleteSessionsOfUsers({ db: tx, userIds: [person.id] });
		await deleteCommitteeSeats({
			db: tx,
			programmeId: actor.programmeId,
			userId: person.id,
			keepVillageIds: scope.villages.map((v) => v.villageId)
		});
		for (const seat of scope.villages) {
			await upsertCommitteeMember({
				db: tx,
				villageId: seat.villageId,
				userId: person.id,
				committeeRole: seat.committeeRole,
				isContact: false
			});
		}
		await insertAuditEntries({
			db: tx,
			entries: [
				audit(
					actor,
					{
						programmeId: actor.programmeId,
						entityType: 'membership',
						entityId: membership.id,
						action: 'change_role',
						before: {
							role: person.role,
							organisationId: person.organisationId,
							villages: seatsBefore.map((s) => ({ villageId: s.villageId, committeeRole: s.committeeRole }))
						},
						after: {
							role: membership.role,
							organisationId: membership.organisationId,
							villages: scope.villages
						}
					},
					now
				)
			]
		});
		return { membership };
	});
}

/** Deactivates a person's membership: they cannot sign in any more and their sessions end at once. */
export async function deactivatePerson(
	{ actor, userId }: { actor: Actor; userId: string },
	{ db, now = new Date() }: Deps & { now?: Date }
): Promise<{ membership: Membership }> {
	assertAdmin(actor);
	return db.transaction(async (tx) => {
		const person = await loadMembership(tx, actor, userId);
		if (person.status === 'deactivated') {
			const membership = (await findMembership({
				db: tx,
				userId: person.id,
				programmeId: actor.programmeId
			}))!;
			return { membership };
		}
		const membership = await updateMembership({
			db: tx,
			membershipId: person.membershipId,
			values: { status: 'deactivated', deactivatedAt: now }
		});
		await deleteSessionsOfUsers({ db: tx, userIds: [person.id] });
		await insertAuditEntries({
			db: tx,
			entries: [
				audit(
					actor,
					{
						programmeId: actor.programmeId,
						entityType: 'membership',
						entityId: membership.id,
						action: 'deactivate',
						before: { status: 'active' },
						after: { status: 'deactivated' }
					},
					now
				)
			]
		});
		log.info({ userId: person.id, by: actor.userId }, 'Person deactivated');
		return { membership };
	});
}

/** Reactivates a deactivated membership: the person may sign in again with their password. */
export async function reactivatePerson(
	{ actor, userId }: { actor: Actor; userId: string },
	{ db, now = new Date() }: Deps & { now?: Date }
): Promise<{ membership: Membership }> {
	assertAdmin(actor);
	return db.transaction(async (tx) => {
		const person = await loadMembership(tx, actor, userId);
		const membership = await updateMembership({
			db: tx,
			membershipId: person.membershipId,
			values: { status: 'active', deactivatedAt: null }
		});
		if (person.status !== 'active') {
			await insertAuditEntries({
				db: tx,
				entries: [
					audit(
						actor,
						{
							programmeId: actor.programmeId,
							entityType: 'membership',
							entityId: membership.id,
							action: 'reactivate',
							before: { status: person.status },
							after: { status: 'active' }
						},
						now
					)
				]
			});
		}
		return { membership };
	});
}
