import { verifyPassword } from 'better-auth/crypto';
import { STAFF_ROLES, type Actor } from '../../auth/actor.ts';
import type { Auth } from '../../auth/auth.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import {
	accountSessionNotFound,
	accountTwoFactorAlreadyEnabled,
	accountTwoFactorInvalidCode,
	accountTwoFactorNotPending,
	accountTwoFactorNotStarted,
	accountTwoFactorRequired,
	accountTwoFactorTooManyAttempts,
	accountUnknownEmail,
	accountWrongPassword
} from './account-security.errors.ts';
import { deleteSessionsOfUsers, findUserByEmail } from './account.repository.ts';
import { emailSchema } from './account.schemas.ts';
import {
	deleteOtherSessionsOfUser,
	deleteSessionById,
	deleteSessionOfUser,
	deleteTwoFactor,
	findPasswordHash,
	findSessionByToken,
	findSessionsOfUser,
	findTwoFactor,
	incrementTwoFactorFailures,
	isTwoFactorRequiredIn,
	updateSession,
	updateTwoFactor,
	upsertPendingTwoFactor,
	type SessionRow
} from './account-security.repository.ts';
import {
	disableTwoFactorSchema,
	sessionIdSchema,
	twoFactorCodeSchema,
	type DisableTwoFactorInput,
	type TwoFactorCodeInput
} from './account-security.schemas.ts';
import {
	generateRecoveryCodes,
	generateTotpSecret,
	hashRecoveryCode,
	isRecoveryCodeShape,
	matchTotpStep,
	otpauthUri
} from './account-two-factor.rules.ts';

/*
 * Sessions and the second factor. better-auth signs the cookie and creates the session rows;
 * soho adds what it does not do: the idle limit (`lastActiveAt`, SOHO_SESSION_IDLE_MINUTES),
 * the second step of sign-in (`isTwoFactorPending`), and TOTP enrolment (node:crypto,
 * account-two-factor.rules.ts; better-auth's plugin accepts a code twice within its step).
 */

const log = createLogger({ namespace: 'account' });

/** `lastActiveAt` is written at most this often (not on every request). */
export const SESSION_TOUCH_INTERVAL_MS = 60_000;
/** Wrong codes allowed on one pending sign-in before its session ends. */
export const MAX_TWO_FACTOR_FAILURES = 5;
const TOTP_ISSUER = 'soho';

type Deps = { db: Db };

export type SessionState = 'active' | 'idle' | 'pending' | 'unknown';

/**
 * The state of a session at `now`: a session unused for longer than the idle limit is ended
 * here ('idle'); one awaiting its second factor grants nothing ('pending'). An active one has
 * its `lastActiveAt` refreshed, at most once a minute.
 */
export async function checkSession(
	{ sessionToken, now = new Date() }: { sessionToken: string; now?: Date },
	{ db, config }: Deps & { config: Pick<Config, 'sessionIdleMinutes'> }
): Promise<{ state: SessionState; session: SessionRow | null }> {
	const session = await findSessionByToken({ db, token: sessionToken });
	if (!session) return { state: 'unknown', session: null };
	if (now.getTime() - session.lastActiveAt.getTime() > config.sessionIdleMinutes * 60_000) {
		await deleteSessionById({ db, sessionId: session.id });
		return { state: 'idle', session: null };
	}
	if (session.isTwoFactorPending) return { state: 'pending', session };
	if (now.getTime() - session.lastActiveAt.getTime() >= SESSION_TOUCH_INTERVAL_MS) {
		await updateSession({ db, sessionId: session.id, values: { lastActiveAt: now } });
	}
	return { state: 'active', session };
}

/** Whether the user must enrol a second factor before anything else: staff of a programme that requires it. */
export async function isTwoFactorEnrolmentDue({ actor }: { actor: Actor }, { db }: Deps): Promise<boolean> {
	if (!STAFF_ROLES.includes(actor.role)) return false;
	if (!(await isTwoFactorRequiredIn({ db, programmeId: actor.programmeId }))) return false;
	const twoFactor = await findTwoFactor({ db, userId: actor.userId });
	return !twoFactor?.enabledAt;
}

/**
 * Called by `signIn` once the password is accepted, with the new session: a session cookie
 * the browser presented before signing in is ended (no session outlives a sign-in in the same
 * browser), and a user who enrolled a second factor gets a pending session.
 */
export async function completePasswordSignIn(
	{
		userId,
		sessionToken,
		browserHeaders
	}: { userId: string; sessionToken: string; browserHeaders?: Headers; now?: Date },
	{ db, auth }: Deps & { auth: Auth }
): Promise<{ isTwoFactorPending: boolean }> {
	if (browserHeaders?.get('cookie')) {
		const presented = await auth.api.getSession({
			headers: browserHeaders,
			query: { disableRefresh: true }
		});
		if (presented && presented.session.token !== sessionToken) {
			await deleteSessionById({ db, sessionId: presented.session.id });
		}
	}
	const session = await findSessionByToken({ db, token: sessionToken });
	if (!session) return { isTwoFactorPending: false };
	const twoFactor = await findTwoFactor({ db, userId });
	const isTwoFactorPending = Boolean(twoFactor?.enabledAt);
	await updateSession({ db, sessionId: session.id, values: { isTwoFactorPending } });
	return { isTwoFactorPending };
}

/** The session token of the request's cookie (checked by better-auth), or null. */
async function sessionTokenOf(requestHeaders: Headers, auth: Auth): Promise<string | null> {
	const session = await auth.api.getSession({ headers: requestHeaders, query: { disableRefresh: true } });
	return session?.session.token ?? null;
}

/** The sign-in awaiting its second factor in this browser, or null. */
export async function findPendingSignIn(
	{ requestHeaders }: { requestHeaders: Headers },
	{ db, auth }: Deps & { auth: Auth }
): Promise<{ userId: string } | null> {
	const token = await sessionTokenOf(requestHeaders, auth);
	const session = token ? await findSessionByToken({ db, token }) : null;
	return session?.isTwoFactorPending ? { userId: session.userId } : null;
}

type CodeCheck = { kind: 'totp'; step: number } | { kind: 'recovery'; left: string[] } | null;

/** Checks a TOTP or recovery code against a locked two-factor row and consumes it when right. */
async function consumeCode(
	{ db, userId, code, now }: { db: Db; userId: string; code: string; now: Date },
	options: { isEnrolment: boolean }
): Promise<CodeCheck> {
	const twoFactor = await findTwoFactor({ db, userId, forUpdate: true });
	if (!twoFactor || Boolean(twoFactor.enabledAt) === options.isEnrolment) return null;
	if (!options.isEnrolment && isRecoveryCodeShape(code)) {
		const hash = hashRecoveryCode(code);
		if (!twoFactor.recoveryCodeHashes.includes(hash)) return null;
		const left = twoFactor.recoveryCodeHashes.filter((h) => h !== hash);
		await updateTwoFactor({ db, userId, values: { recoveryCodeHashes: left } });
		return { kind: 'recovery', left };
	}
	const step = matchTotpStep({ secret: twoFactor.secret, code, now, lastUsedStep: twoFactor.lastUsedStep });
	if (step === null) return null;
	await updateTwoFactor({ db, userId, values: { lastUsedStep: step } });
	return { kind: 'totp', step };
}

/**
 * The second step of sign-in: a TOTP code or a recovery code (each accepted once) turns the
 * pending session into a full one. After MAX_TWO_FACTOR_FAILURES wrong codes the session ends.
 */
export async function verifySecondFactor(
	{
		requestHeaders,
		input,
		now = new Date()
	}: { requestHeaders: Headers; input: TwoFactorCodeInput; now?: Date },
	{ db, auth }: Deps & { auth: Auth }
): Promise<{ userId: string; usedRecoveryCode: boolean }> {
	const { code } = parseInput(twoFactorCodeSchema, input);
	const token = await sessionTokenOf(requestHeaders, auth);
	const session = token ? await findSessionByToken({ db, token }) : null;
	if (!session?.isTwoFactorPending) throw accountTwoFactorNotPending();
	const check = await db.transaction(async (tx) => {
		const result = await consumeCode({ db: tx, userId: session.userId, code, now }, { isEnrolment: false });
		if (result) {
			await updateSession({
				db: tx,
				sessionId: session.id,
				values: { isTwoFactorPending: false, twoFactorFailures: 0, lastActiveAt: now }
			});
		}
		return result;
	});
	if (!check) {
		const failures = await incrementTwoFactorFailures({ db, sessionId: session.id });
		if (failures >= MAX_TWO_FACTOR_FAILURES) {
			await deleteSessionById({ db, sessionId: session.id });
			log.warn({ userId: session.userId }, 'Second factor failed too often: session ended');
			throw accountTwoFactorTooManyAttempts();
		}
		throw accountTwoFactorInvalidCode({ field: 'code' });
	}
	if (check.kind === 'recovery') {
		log.info({ userId: session.userId, left: check.left.length }, 'Recovery code used');
	}
	return { userId: session.userId, usedRecoveryCode: check.kind === 'recovery' };
}

/* ------------------------------------------------------------------ enrolment */

export type TwoFactorStatus = {
	isEnabled: boolean;
	/** While an enrolment awaits its first code: the secret and the URI of the QR code. */
	enrolment: { secret: string; uri: string } | null;
	recoveryCodesLeft: number;
	/** The programme requires a second factor of this person (admin or advisor). */
	isRequired: boolean;
};

export async function getTwoFactorStatus(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<TwoFactorStatus> {
	const twoFactor = await findTwoFactor({ db, userId: actor.userId });
	const isRequired =
		STAFF_ROLES.includes(actor.role) && (await isTwoFactorRequiredIn({ db, programmeId: actor.programmeId }));
	return {
		isEnabled: Boolean(twoFactor?.enabledAt),
		enrolment:
			twoFactor && !twoFactor.enabledAt
				? {
						secret: twoFactor.secret,
						uri: otpauthUri({ secret: twoFactor.secret, issuer: TOTP_ISSUER, account: actor.email })
					}
				: null,
		recoveryCodesLeft: twoFactor?.enabledAt ? twoFactor.recoveryCodeHashes.length : 0,
		isRequired
	};
}

/** Starts an enrolment with a new secret (a restarted one replaces the previous secret). */
export async function startTwoFactorEnrolment(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ secret: string; uri: string }> {
	return db.transaction(async (tx) => {
		const existing = await findTwoFactor({ db: tx, userId: actor.userId, forUpdate: true });
		if (existing?.enabledAt) throw accountTwoFactorAlreadyEnabled();
		const { secret } = await upsertPendingTwoFactor({
			db: tx,
			userId: actor.userId,
			secret: generateTotpSecret()
		});
		return { secret, uri: otpauthUri({ secret, issuer: TOTP_ISSUER, account: actor.email }) };
	});
}

/**
 * Confirms an enrolment with the authenticator's current code. Returns the ten recovery codes,
 * shown once: only their hashes are kept.
 */
export async function confirmTwoFactorEnrolment(
	{ actor, input, now = new Date() }: { actor: Actor; input: TwoFactorCodeInput; now?: Date },
	{ db }: Deps
): Promise<{ recoveryCodes: string[] }> {
	const { code } = parseInput(twoFactorCodeSchema, input);
	return db.transaction(async (tx) => {
		const twoFactor = await findTwoFactor({ db: tx, userId: actor.userId, forUpdate: true });
		if (!twoFactor) throw accountTwoFactorNotStarted();
		if (twoFactor.enabledAt) throw accountTwoFactorAlreadyEnabled();
		const check = await consumeCode({ db: tx, userId: actor.userId, code, now }, { isEnrolment: true });
		if (!check) throw accountTwoFactorInvalidCode({ field: 'code' });
		const recoveryCodes = generateRecoveryCodes();
		await updateTwoFactor({
			db: tx,
			userId: actor.userId,
			values: { enabledAt: now, recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode) }
		});
		log.info({ userId: actor.userId }, 'Two-factor authentication enabled');
		return { recoveryCodes };
	});
}

/** Turns the second factor off, after the password; refused where the programme requires it. */
export async function disableTwoFactor(
	{ actor, input }: { actor: Actor; input: DisableTwoFactorInput },
	{ db }: Deps
): Promise<{ isEnabled: false }> {
	const { password } = parseInput(disableTwoFactorSchema, input);
	const { isRequired } = await getTwoFactorStatus({ actor }, { db });
	if (isRequired) throw accountTwoFactorRequired();
	const hash = await findPasswordHash({ db, userId: actor.userId });
	if (!hash || !(await verifyPassword({ hash, password }))) throw accountWrongPassword({ field: 'password' });
	await deleteTwoFactor({ db, userId: actor.userId });
	log.info({ userId: actor.userId }, 'Two-factor authentication disabled');
	return { isEnabled: false };
}

/**
 * For operators (`soho user reset-two-factor`), when a person lost both their authenticator and
 * their recovery codes: their second factor is removed and their sessions end. No actor: the
 * operator has shell access to the server.
 */
export async function resetTwoFactorOfUser(
	{ email }: { email: string },
	{ db }: Deps
): Promise<{ userId: string; hadTwoFactor: boolean }> {
	const address = parseInput(emailSchema, email);
	return db.transaction(async (tx) => {
		const user = await findUserByEmail({ db: tx, email: address });
		if (!user) throw accountUnknownEmail({ email: address });
		const hadTwoFactor = Boolean(await findTwoFactor({ db: tx, userId: user.id, forUpdate: true }));
		await deleteTwoFactor({ db: tx, userId: user.id });
		await deleteSessionsOfUsers({ db: tx, userIds: [user.id] });
		log.info({ userId: user.id }, 'Two-factor authentication reset by an operator');
		return { userId: user.id, hadTwoFactor };
	});
}

/* ------------------------------------------------------------------ the person's sessions */

export type SessionSummary = {
	id: string;
	userAgent: string | null;
	ipAddress: string | null;
	createdAt: Date;
	lastActiveAt: Date;
	isCurrent: boolean;
	isTwoFactorPending: boolean;
};

/** The signed-in person's open sessions (their own only), the current one marked. */
export async function listMySessions(
	{
		actor,
		currentSessionToken,
		now = new Date()
	}: { actor: Actor; currentSessionToken: string | null; now?: Date },
	{ db, config }: Deps & { config: Pick<Config, 'sessionIdleMinutes'> }
): Promise<{ sessions: SessionSummary[] }> {
	const idleSince = now.getTime() - config.sessionIdleMinutes * 60_000;
	const rows = await findSessionsOfUser({ db, userId: actor.userId, now });
	return {
		sessions: rows
			.filter((row) => row.lastActiveAt.getTime() >= idleSince)
			.map((row) => ({
				id: row.id,
				userAgent: row.userAgent,
				ipAddress: row.ipAddress,
				createdAt: row.createdAt,
				lastActiveAt: row.lastActiveAt,
				isCurrent: row.token === currentSessionToken,
				isTwoFactorPending: row.isTwoFactorPending
			}))
	};
}

/** Ends one of the signed-in person's sessions; another person's session is not found. */
export async function endMySession({ actor, sessionId }: { actor: Actor; sessionId: string }, { db }: Deps) {
	const id = parseInput(sessionIdSchema, sessionId);
	if (!(await deleteSessionOfUser({ db, userId: actor.userId, sessionId: id }))) {
		throw accountSessionNotFound({ sessionId: id });
	}
	log.info({ userId: actor.userId, sessionId: id }, 'Session ended by its owner');
	return { ended: 1 };
}

/** Ends every session of the signed-in person except the current one. */
export async function endMyOtherSessions(
	{ actor, currentSessionToken }: { actor: Actor; currentSessionToken: string },
	{ db }: Deps
): Promise<{ ended: number }> {
	const current = await findSessionByToken({ db, token: currentSessionToken });
	if (!current || current.userId !== actor.userId) throw accountSessionNotFound({});
	const ended = await deleteOtherSessionsOfUser({ db, userId: actor.userId, keepSessionId: current.id });
	log.info({ userId: actor.userId, ended }, 'Other sessions ended by their owner');
	return { ended };
}
