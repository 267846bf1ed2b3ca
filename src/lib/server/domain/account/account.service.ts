import { randomBytes } from 'node:crypto';
import { APIError } from 'better-auth/api';
import { hashPassword } from 'better-auth/crypto';
import type { Auth } from '../../auth/auth.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { CommitteeRole, Membership, User } from '../../db/schema/index.ts';
import { parseInput } from '../../validation.ts';
import { findOrganisationById } from '../organisation/organisation.repository.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { villageNotFound } from '../village/village.errors.ts';
import { findVillageById, findVillageBySlug, upsertCommitteeMember } from '../village/village.repository.ts';
import { checkSession, completePasswordSignIn, isTwoFactorEnrolmentDue } from './account-security.service.ts';
import {
	accountDeactivated,
	accountEmailTaken,
	accountForbidden,
	accountInvalidCredentials,
	accountInvalidResetToken,
	accountPasswordMismatch,
	accountScopeNotForRole,
	accountTooManyAttempts,
	accountUnknownOrganisation
} from './account.errors.ts';
import {
	countRecentFailures,
	deleteSessionsOfUsers,
	findActiveMemberships,
	findOrganisationByName,
	findUserByEmail,
	insertMembership,
	insertSignInAttempt,
	insertUserWithPassword,
	type ProgrammeUser
} from './account.repository.ts';
import {
	createUserSchema,
	requestPasswordResetSchema,
	resetPasswordSchema,
	signInSchema,
	type CreateUserInput,
	type ResetPasswordInput,
	type SignInInput
} from './account.schemas.ts';

/** How many more failures an IP address may make than one email address (offices share an address). */
const IP_LIMIT_FACTOR = 4;

/** The actor of a person acting in one programme (the user row with that membership's role and scope). */
export function toActor(
	user: Pick<
		ProgrammeUser,
		'id' | 'name' | 'email' | 'role' | 'programmeId' | 'organisationId' | 'locale' | 'isDemo'
	>
): Actor {
	return {
		userId: user.id,
		name: user.name,
		email: user.email,
		role: user.role,
		programmeId: user.programmeId,
		organisationId: user.organisationId ?? null,
		locale: user.locale === 'en' ? 'en' : 'fr',
		isDemo: user.isDemo
	};
}

/**
 * The membership a person acts in, among their active ones: the programme asked for
 * when they hold one there, else the oldest. (A later version lets the person pick.)
 */
export function chooseMembership(memberships: Membership[], programmeId?: string | null): Membership | null {
	return memberships.find((m) => m.programmeId === programmeId) ?? memberships[0] ?? null;
}

/** The actor of a user in their chosen active membership, or null when they have none. */
export async function actorOfUser(
	{
		user,
		programmeId
	}: { user: Pick<User, 'id' | 'name' | 'email' | 'locale' | 'isDemo'>; programmeId?: string | null },
	{ db }: { db: Db }
): Promise<Actor | null> {
	const membership = chooseMembership(await findActiveMemberships({ db, userId: user.id }), programmeId);
	if (!membership) return null;
	return toActor({ ...user, ...membership, id: user.id });
}

/**
 * Creates an account with its membership of a programme. Called by operators
 * (`soho user create`, actor undefined) and by programme admins (actor given: only in
 * their own programme). Committee members get their villages (id or slug, with their
 * function); partners their organisation (id or exact name).
 */
export async function createUser(
	{ actor, input }: { actor?: Actor; input: CreateUserInput },
	{ db }: { db: Db }
): Promise<{
	user: ProgrammeUser;
	hasPassword: boolean;
	villages: { villageId: string; slug: string; committeeRole: CommitteeRole }[];
}> {
	const data = parseInput(createUserSchema, input);
	if (actor && (actor.role !== 'admin' || actor.programmeId !== data.programmeId)) throw accountForbidden();
	const organisationRef = data.organisationId ?? data.organisation;
	// Villages are a committee member's scope, an organisation a partner's: anything else is a mistake.
	if (data.villages.length && data.role !== 'committee') throw accountScopeNotForRole({ role: data.role });
	if (data.organisation && data.role !== 'partner') throw accountScopeNotForRole({ role: data.role });
	const villages: { villageId: string; slug: string; committeeRole: CommitteeRole }[] = [];
	// Without a password the account gets an unguessable one and the person resets it by email.
	const password = data.password ?? randomBytes(32).toString('base64url');
	const passwordHash = await hashPassword(password);
	const user = await db.transaction(async (tx) => {
		if (!(await findProgrammeById({ db: tx, programmeId: data.programmeId }))) {
			throw programmeNotFound({ programmeId: data.programmeId });
		}
		if (await findUserByEmail({ db: tx, email: data.email })) throw accountEmailTaken({ email: data.email });
		let organisationId: string | null = null;
		if (organisationRef && data.role === 'partner') {
			// An organisation of another programme is as good as unknown: neither lookup finds it.
			const organisation =
				(await findOrganisationById({
					db: tx,
					programmeId: data.programmeId,
					organisationId: organisationRef
				})) ??
				(await findOrganisationByName({ db: tx, programmeId: data.programmeId, name: organisationRef }));
			if (!organisation) throw accountUnknownOrganisation({ organisationId: organisationRef });
			organisationId = organisation.id;
		}
		if (data.role === 'committee') {
			for (const { village: ref, committeeRole } of data.villages) {
				const village =
					(await findVillageById({ db: tx, programmeId: data.programmeId, villageId: ref })) ??
					(await findVillageBySlug({ db: tx, programmeId: data.programmeId, slug: ref }));
				if (!village) throw villageNotFound({ villageId: ref });
				villages.push({ villageId: village.id, slug: village.slug, committeeRole });
			}
		}
		const created = await insertUserWithPassword({
			db: tx,
			user: {
				email: data.email,
				name: data.name,
				locale: data.locale,
				isDemo: data.isDemo,
				emailVerified: false
			},
			passwordHash
		});
		const membership = await insertMembership({
			db: tx,
			values: { userId: created.id, programmeId: data.programmeId, role: data.role, organisationId }
		});
		for (const { villageId, committeeRole } of villages) {
			await upsertCommitteeMember({ db: tx, villageId, committeeRole, userId: created.id, isContact: false });
		}
		return {
			...created,
			role: membership.role,
			programmeId: membership.programmeId,
			organisationId: membership.organisationId,
			membershipId: membership.id,
			status: membership.status
		};
	});
	return { user, hasPassword: data.password !== undefined, villages };
}

/**
 * Signs in with email and password. Failed attempts are counted per email and per IP
 * address over SOHO_SIGNIN_WINDOW_MINUTES; beyond the limit the attempt is refused
 * before the password is even checked. Returns the Set-Cookie headers of the session, and
 * whether it still awaits the second factor (`isTwoFactorPending`: it grants nothing yet).
 * `browserHeaders` (the request's headers) carry the browser's cookies: a session it held before is ended.
 */
export async function signIn(
	{
		input,
		ipAddress,
		userAgent,
		browserHeaders
	}: { input: SignInInput; ipAddress: string | null; userAgent?: string | null; browserHeaders?: Headers },
	{ db, auth, config, now = new Date() }: { db: Db; auth: Auth; config: Config; now?: Date }
): Promise<{ actor: Actor; headers: Headers; isTwoFactorPending: boolean }> {
	const { email, password } = parseInput(signInSchema, input);
	const since = new Date(now.getTime() - config.signInWindowMinutes * 60_000);
	const failures = await countRecentFailures({ db, email, ipAddress, since });
	if (
		failures.byEmail >= config.signInMaxAttempts ||
		failures.byIp >= config.signInMaxAttempts * IP_LIMIT_FACTOR
	) {
		throw accountTooManyAttempts({ retryAfterMinutes: config.signInWindowMinutes });
	}
	const requestHeaders = new Headers();
	if (userAgent) requestHeaders.set('user-agent', userAgent);
	if (ipAddress) requestHeaders.set('x-forwarded-for', ipAddress);
	try {
		const { headers, response } = await auth.api.signInEmail({
			body: { email, password, rememberMe: true },
			headers: requestHeaders,
			returnHeaders: true
		});
		const user = response.user as unknown as User;
		const actor = await actorOfUser({ user }, { db });
		if (!actor) {
			// Right password, but no active membership: the session just opened is ended.
			await deleteSessionsOfUsers({ db, userIds: [user.id] });
			await insertSignInAttempt({ db, email, ipAddress, isSuccess: false });
			throw accountDeactivated();
		}
		await insertSignInAttempt({ db, email, ipAddress, isSuccess: true });
		// Password accepted. Sessions and second factor (account-security.service.ts): the
		// browser's previous session ends, and an enrolled user's new one awaits the second step.
		const { isTwoFactorPending } = await completePasswordSignIn(
			{ userId: user.id, sessionToken: response.token, browserHeaders, now },
			{ db, auth }
		);
		return { actor, headers, isTwoFactorPending };
	} catch (error) {
		if (error instanceof APIError) {
			await insertSignInAttempt({ db, email, ipAddress, isSuccess: false });
			throw accountInvalidCredentials();
		}
		throw error;
	}
}

/** Ends the session carried by the request's cookie; returns headers that clear it. */
export async function signOut({ requestHeaders }: { requestHeaders: Headers }, { auth }: { auth: Auth }) {
	try {
		const { headers } = await auth.api.signOut({ headers: requestHeaders, returnHeaders: true });
		return { headers };
	} catch {
		// No valid session: nothing to end.
		return { headers: new Headers() };
	}
}

/**
 * The actor of the session carried by these request headers, or null: also null while the
 * session awaits its second factor, and once it has been idle too long (it is then ended).
 * `mustEnrolTwoFactor`: staff of a programme requiring a second factor who have none yet.
 */
export async function findActorBySession(
	{ requestHeaders, now = new Date() }: { requestHeaders: Headers; now?: Date },
	{ auth, db, config }: { auth: Auth; db: Db; config: Pick<Config, 'sessionIdleMinutes'> }
): Promise<{ actor: Actor | null; sessionToken: string | null; mustEnrolTwoFactor: boolean }> {
	const none = { actor: null, sessionToken: null, mustEnrolTwoFactor: false };
	const session = await auth.api.getSession({ headers: requestHeaders });
	if (!session) return none;
	const { state } = await checkSession({ sessionToken: session.session.token, now }, { db, config });
	if (state !== 'active') return none;
	const actor = await actorOfUser({ user: session.user as unknown as User }, { db });
	return {
		actor,
		sessionToken: session.session.token,
		mustEnrolTwoFactor: actor ? await isTwoFactorEnrolmentDue({ actor }, { db }) : false
	};
}

/**
 * Sends a reset link if the address has an account. Answers the same either way, so
 * the form cannot be used to learn who has an account.
 */
export async function requestPasswordReset(
	{ input }: { input: { email: string } },
	{ auth }: { auth: Auth }
) {
	const { email } = parseInput(requestPasswordResetSchema, input);
	try {
		await auth.api.requestPasswordReset({ body: { email, redirectTo: '/reset-password' } });
	} catch (error) {
		if (!(error instanceof APIError)) throw error;
	}
	return { status: 'requested' as const };
}

export async function resetPassword({ input }: { input: ResetPasswordInput }, { auth }: { auth: Auth }) {
	const data = parseInput(resetPasswordSchema, input);
	if (data.password !== data.confirmation) throw accountPasswordMismatch();
	try {
		await auth.api.resetPassword({ body: { newPassword: data.password, token: data.token } });
	} catch (error) {
		if (error instanceof APIError) throw accountInvalidResetToken();
		throw error;
	}
	return { status: 'reset' as const };
}
