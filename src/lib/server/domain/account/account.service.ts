import { createHash, randomBytes } from 'node:crypto';
import { APIError } from 'better-auth/api';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import { RESET_TOKEN_TTL_SECONDS, type Auth } from '../../auth/auth.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { CommitteeRole, Membership, User } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { consumeRateLimits, rateLimitKey, takeRateLimits } from '../rate-limit/rate-limit.service.ts';
import { findOrganisationById } from '../organisation/organisation.repository.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { villageNotFound } from '../village/village.errors.ts';
import { findVillageById, findVillageBySlug, upsertCommitteeMember } from '../village/village.repository.ts';
import { checkSession, completePasswordSignIn, isTwoFactorEnrolmentDue } from './account-security.service.ts';
import { accountUnknownEmail, accountWrongPassword } from './account-security.errors.ts';
import { findPasswordHash } from './account-security.repository.ts';
import {
	accountDeactivated,
	accountEmailTaken,
	accountForbidden,
	accountInvalidCredentials,
	accountInvalidResetToken,
	accountInvalidUnlockToken,
	accountPasswordMismatch,
	accountProgrammeSuspended,
	accountScopeNotForRole,
	accountTooManyAttempts,
	accountUnknownOrganisation
} from './account.errors.ts';
import {
	clearSignInFailures,
	countRecentFailures,
	deleteSessionsOfUsers,
	findActiveMemberships,
	findLiveSignInUnlock,
	findOrganisationByName,
	findUserByEmail,
	hasMembershipOfSuspendedProgramme,
	insertMembership,
	insertSignInAttempt,
	insertSignInUnlock,
	insertUserWithPassword,
	lockSignInAttempts,
	setInstanceAdmin,
	settleSignInAttempt,
	useSignInUnlockByTokenHash,
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
import { askingResetFrom, queueSignInUnlockMail, type AccountMailRequest } from './account.mails.ts';
import { chooseActorProgramme, signInLockedUntil } from './account.rules.ts';

const log = createLogger({ namespace: 'account:service' });

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

/** A programme a person may act in: shown by the programme picker and the switcher. */
export type ProgrammeChoice = { programmeId: string; programmeName: string; role: Membership['role'] };

/** Who a signed-in user is on this request: their actor, or that they must pick a programme first. */
export type UserResolution = {
	actor: Actor | null;
	/** Several programmes and no valid choice: they pick one on /choose-programme. */
	mustChooseProgramme: boolean;
	/** The programmes they may act in (active memberships of active programmes). */
	programmes: ProgrammeChoice[];
	isInstanceAdmin: boolean;
};

/** Whether the person may act after signing in: an actor, a programme to choose, or the instance to run. */
export function canAct(resolution: UserResolution): boolean {
	return Boolean(resolution.actor) || resolution.mustChooseProgramme || resolution.isInstanceAdmin;
}

/**
 * The refusal of someone who signed in but has nothing to act in (`canAct` false), for every way
 * of signing in: their only programmes are suspended, or their memberships were deactivated.
 */
export async function refusalOfNoProgramme({ userId }: { userId: string }, { db }: { db: Db }) {
	return (await hasMembershipOfSuspendedProgramme({ db, userId }))
		? accountProgrammeSuspended()
		: accountDeactivated();
}

/**
 * Resolves a user to the actor of one of their active memberships of active programmes, chosen by
 * `chooseActorProgramme` (the host's programme, then their choice, then their only one).
 * `programmeId` is the choice (the `soho_programme` cookie, or a seed's programme).
 */
export async function resolveUser(
	{
		user,
		programmeId = null,
		programmeOfHost = null
	}: {
		user: Pick<User, 'id' | 'name' | 'email' | 'locale' | 'isDemo'> & { isInstanceAdmin?: boolean };
		programmeId?: string | null;
		programmeOfHost?: string | null;
	},
	{ db }: { db: Db }
): Promise<UserResolution> {
	const memberships = await findActiveMemberships({ db, userId: user.id });
	const choice = chooseActorProgramme({ memberships, programmeOfHost, chosenProgrammeId: programmeId });
	return {
		actor: choice.outcome === 'act' ? toActor({ ...user, ...choice.membership, id: user.id }) : null,
		mustChooseProgramme: choice.outcome === 'choose',
		programmes: memberships.map((m) => ({
			programmeId: m.programmeId,
			programmeName: m.programmeName,
			role: m.role
		})),
		isInstanceAdmin: user.isInstanceAdmin === true
	};
}

/** The actor of a user in their chosen active membership, or null (none, or several and no choice). */
export async function actorOfUser(
	{
		user,
		programmeId
	}: { user: Pick<User, 'id' | 'name' | 'email' | 'locale' | 'isDemo'>; programmeId?: string | null },
	{ db }: { db: Db }
): Promise<Actor | null> {
	return (await resolveUser({ user, programmeId }, { db })).actor;
}

/**
 * Grants or revokes the instance-admin flag (operator only, `soho user instance-admin`): an
 * instance admin creates, suspends and resumes programmes and sees their usage on /instance.
 * Their sessions end, so the change holds from their next sign-in.
 */
export async function setInstanceAdminByEmail(
	{ email, isInstanceAdmin }: { email: string; isInstanceAdmin: boolean },
	{ db }: { db: Db }
): Promise<{ userId: string; email: string; isInstanceAdmin: boolean }> {
	const address = email.trim().toLowerCase();
	return db.transaction(async (tx) => {
		const user = await setInstanceAdmin({ db: tx, email: address, isInstanceAdmin });
		if (!user) throw accountUnknownEmail({ email: address });
		await deleteSessionsOfUsers({ db: tx, userIds: [user.id] });
		log.info({ userId: user.id, isInstanceAdmin }, 'Instance admin flag changed');
		return { userId: user.id, email: user.email, isInstanceAdmin };
	});
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

type SignInReservation =
	| { isReserved: true; attemptId: string }
	| { isReserved: false; retryAfterMinutes: number; isEmailLock: boolean };

/**
 * Reserves a sign-in attempt before the password is checked: under a lock on the IP address,
 * counts the failures (pending attempts included) and, when sign-in is open, records a pending
 * attempt. Parallel requests thus see each other's attempts and cannot all pass together.
 */
async function reserveSignInAttempt(
	{ email, ipAddress, now }: { email: string; ipAddress: string | null; now: Date },
	{ db, config }: { db: Db; config: Config }
): Promise<SignInReservation> {
	return db.transaction(async (tx) => {
		await lockSignInAttempts({ db: tx, email, ipAddress });
		const failures = await countRecentFailures({
			db: tx,
			email,
			ipAddress,
			since: new Date(now.getTime() - config.signInMaxLockMinutes * 60_000),
			ipSince: new Date(now.getTime() - config.signInWindowMinutes * 60_000)
		});
		const lockedUntil = signInLockedUntil({
			failures: failures.byEmailAndIp,
			lastFailureAt: failures.lastFailureAt,
			limit: config.signInMaxAttempts,
			firstLockMinutes: config.signInWindowMinutes,
			maxLockMinutes: config.signInMaxLockMinutes
		});
		if (lockedUntil && lockedUntil > now) {
			const retryAfterMinutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
			return { isReserved: false as const, retryAfterMinutes, isEmailLock: true };
		}
		if (failures.byIp >= config.signInMaxAttempts * IP_LIMIT_FACTOR) {
			return {
				isReserved: false as const,
				retryAfterMinutes: config.signInWindowMinutes,
				isEmailLock: false
			};
		}
		const { id } = await insertSignInAttempt({ db: tx, email, ipAddress, at: now });
		return { isReserved: true as const, attemptId: id };
	});
}

/**
 * Mails the account's owner, at most once per SOHO_SIGNIN_WINDOW_MINUTES, a one-time link that
 * lifts the sign-in lock on their email. Nothing for an address without an account.
 */
async function offerSignInUnlock(
	{ email, now, programmeId }: { email: string; now: Date; programmeId: string | null },
	{ db, config }: { db: Db; config: Config }
): Promise<void> {
	await db.transaction(async (tx) => {
		const user = await findUserByEmail({ db: tx, email });
		if (!user) return;
		const outcome = await takeRateLimits(
			{
				rules: [
					{
						key: rateLimitKey.account('account.unlock_mail', email),
						limit: 1,
						windowSeconds: config.signInWindowMinutes * 60
					}
				]
			},
			{ db: tx, now }
		);
		if (!outcome.isAllowed) return;
		const token = randomBytes(32).toString('base64url');
		await insertSignInUnlock({
			db: tx,
			values: {
				email,
				tokenHash: hashToken(token),
				expiresAt: new Date(now.getTime() + config.signInMaxLockMinutes * 60_000)
			}
		});
		if (await queueSignInUnlockMail({ user, token, programmeId }, { db: tx, config })) {
			log.info({ userId: user.id }, 'Sign-in locked: unlock link mailed to the owner');
		}
	});
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Signs in with email and password. Attempts are reserved before the password is checked
 * (`reserveSignInAttempt`), counted per email and IP address (an attacker elsewhere cannot lock
 * the owner out) with a lock that doubles with each further failure, and per IP address over
 * all emails. When an email gets locked, its owner is mailed an unlock link. Returns the
 * Set-Cookie headers of the session, and whether it still awaits the second factor
 * (`isTwoFactorPending`: it grants nothing yet). `browserHeaders` (the request's headers) carry
 * the browser's cookies: a session it held before is ended. `programmeId` (the person's last
 * choice, or the programme of an invitation just accepted) and `programmeOfHost` choose the
 * programme (`resolveUser`); a person of several programmes without a choice picks one next
 * (`mustChooseProgramme`). A person whose only programmes are suspended is told so.
 */
export async function signIn(
	{
		input,
		ipAddress,
		userAgent,
		browserHeaders,
		programmeId = null,
		programmeOfHost = null
	}: {
		input: SignInInput;
		ipAddress: string | null;
		userAgent?: string | null;
		browserHeaders?: Headers;
		programmeId?: string | null;
		programmeOfHost?: string | null;
	},
	{ db, auth, config, now = new Date() }: { db: Db; auth: Auth; config: Config; now?: Date }
): Promise<UserResolution & { headers: Headers; isTwoFactorPending: boolean }> {
	const { email, password } = parseInput(signInSchema, input);
	const reservation = await reserveSignInAttempt({ email, ipAddress, now }, { db, config });
	if (!reservation.isReserved) {
		if (reservation.isEmailLock)
			await offerSignInUnlock({ email, now, programmeId: programmeOfHost ?? programmeId }, { db, config });
		throw accountTooManyAttempts({ retryAfterMinutes: reservation.retryAfterMinutes });
	}
	const { attemptId } = reservation;
	const requestHeaders = new Headers();
	if (userAgent) requestHeaders.set('user-agent', userAgent);
	if (ipAddress) requestHeaders.set('x-forwarded-for', ipAddress);
	let isSuccess = false;
	try {
		const { headers, response } = await auth.api.signInEmail({
			body: { email, password, rememberMe: true },
			headers: requestHeaders,
			returnHeaders: true
		});
		const user = await findUserByEmail({ db, email });
		if (!user) throw accountInvalidCredentials();
		const resolution = await resolveUser({ user, programmeId, programmeOfHost }, { db });
		if (!canAct(resolution)) {
			// Right password, but no active membership: the session just opened is ended.
			await deleteSessionsOfUsers({ db, userIds: [user.id] });
			throw await refusalOfNoProgramme({ userId: user.id }, { db });
		}
		isSuccess = true;
		// Password accepted. Sessions and second factor (account-security.service.ts): the
		// browser's previous session ends, and an enrolled user's new one awaits the second step.
		const { isTwoFactorPending } = await completePasswordSignIn(
			{ userId: user.id, sessionToken: response.token, browserHeaders, now },
			{ db, auth }
		);
		return { ...resolution, headers, isTwoFactorPending };
	} catch (error) {
		if (error instanceof APIError) throw accountInvalidCredentials();
		throw error;
	} finally {
		// Whatever happened, the reserved attempt gets its outcome (a crash leaves it pending: a failure).
		await settleSignInAttempt({ db, attemptId, isSuccess });
	}
}

/**
 * Checks the current password of an existing account without opening a session, counted as a
 * sign-in attempt (the same locks and unlock mail as `signIn`: the form cannot be used to guess
 * it). A person proves this way that they hold the account, e.g. when accepting an invitation
 * to it from another programme. Throws `account.wrong_password` (field `password`).
 */
export async function verifyAccountPassword(
	{
		userId,
		email,
		password,
		ipAddress,
		now = new Date()
	}: { userId: string; email: string; password: string; ipAddress: string | null; now?: Date },
	{ db, config }: { db: Db; config: Config }
): Promise<void> {
	const reservation = await reserveSignInAttempt({ email, ipAddress, now }, { db, config });
	if (!reservation.isReserved) {
		if (reservation.isEmailLock) await offerSignInUnlock({ email, now, programmeId: null }, { db, config });
		throw accountTooManyAttempts({ retryAfterMinutes: reservation.retryAfterMinutes });
	}
	let isSuccess = false;
	try {
		const hash = await findPasswordHash({ db, userId });
		isSuccess = hash !== null && (await verifyPassword({ hash, password }));
	} finally {
		await settleSignInAttempt({ db, attemptId: reservation.attemptId, isSuccess });
	}
	if (!isSuccess) throw accountWrongPassword({ field: 'password' });
}

/** Whether a sign-in unlock link can still be used (the page shows a confirm button, or says it is spent). */
export async function checkSignInUnlock(
	{ token }: { token: string },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ isUsable: boolean }> {
	if (!token || token.length > 200) return { isUsable: false };
	return { isUsable: await findLiveSignInUnlock({ db, tokenHash: hashToken(token), now }) };
}

/**
 * Uses a sign-in unlock link, once: the failures that lock the owner's email (from any address)
 * stop counting. The link is read across programmes by its token (only its hash is stored).
 */
export async function unlockSignIn(
	{ token }: { token: string },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ status: 'unlocked' }> {
	if (!token || token.length > 200) throw accountInvalidUnlockToken();
	return db.transaction(async (tx) => {
		const unlock = await useSignInUnlockByTokenHash({ db: tx, tokenHash: hashToken(token), now });
		if (!unlock) throw accountInvalidUnlockToken();
		await clearSignInFailures({ db: tx, email: unlock.email, at: now });
		log.info('Sign-in unlocked by the owner');
		return { status: 'unlocked' as const };
	});
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
 * `programmeId` (the `soho_programme` cookie) and `programmeOfHost` choose among the person's
 * programmes, re-checked on every request against their active memberships of active programmes
 * (a suspended programme's staff lose their actor at once). `mustEnrolTwoFactor`: staff of a
 * programme requiring a second factor who have none yet.
 */
export async function findActorBySession(
	{
		requestHeaders,
		programmeId = null,
		programmeOfHost = null,
		now = new Date()
	}: { requestHeaders: Headers; programmeId?: string | null; programmeOfHost?: string | null; now?: Date },
	{ auth, db, config }: { auth: Auth; db: Db; config: Pick<Config, 'sessionIdleMinutes'> }
): Promise<
	UserResolution & {
		user: { id: string; name: string; email: string } | null;
		sessionToken: string | null;
		mustEnrolTwoFactor: boolean;
	}
> {
	const none = {
		actor: null,
		user: null,
		sessionToken: null,
		mustEnrolTwoFactor: false,
		mustChooseProgramme: false,
		programmes: [],
		isInstanceAdmin: false
	};
	const session = await auth.api.getSession({ headers: requestHeaders });
	if (!session) return none;
	const { state } = await checkSession({ sessionToken: session.session.token, now }, { db, config });
	if (state !== 'active') return none;
	const user = session.user as unknown as User;
	const resolution = await resolveUser({ user, programmeId, programmeOfHost }, { db });
	return {
		...resolution,
		user: { id: user.id, name: user.name, email: user.email },
		sessionToken: session.session.token,
		mustEnrolTwoFactor: resolution.actor
			? await isTwoFactorEnrolmentDue({ actor: resolution.actor }, { db })
			: false
	};
}

/**
 * Sends a reset link if the address has an account. Answers the same either way, so
 * the form cannot be used to learn who has an account. At most one link per account while
 * the last one is alive (a second request sends nothing), and SOHO_LIMIT_PASSWORD_RESETS_PER_HOUR
 * requests per client address (`rate_limit.exceeded` beyond).
 */
export async function requestPasswordReset(
	{ input, clientAddress = null, programmeId = null }: AccountMailRequest,
	{ auth, db, config, now = new Date() }: { auth: Auth; db: Db; config: Config; now?: Date }
) {
	const { email } = parseInput(requestPasswordResetSchema, input);
	if (clientAddress) {
		await consumeRateLimits(
			{
				rules: [
					{
						key: rateLimitKey.address('account.reset', clientAddress),
						limit: config.limitPasswordResetsPerHour,
						windowSeconds: 3600
					}
				]
			},
			{ db, now }
		);
	}
	const outcome = await takeRateLimits(
		{
			rules: [
				{
					key: rateLimitKey.account('account.reset', email),
					limit: 1,
					windowSeconds: RESET_TOKEN_TTL_SECONDS
				}
			]
		},
		{ db, now }
	);
	// A link sent within its lifetime is still good: no second mail, no second live token.
	if (!outcome.isAllowed) return { status: 'requested' as const };
	try {
		await askingResetFrom(programmeId, () =>
			auth.api.requestPasswordReset({ body: { email, redirectTo: '/reset-password' } })
		);
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
