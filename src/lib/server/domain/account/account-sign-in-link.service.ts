/**
 * Password-less sign-in: a link mailed to the account's address, valid once and for
 * SIGN_IN_LINK_TTL_MINUTES. Candidates get one with the confirmation of their application
 * (case-intake.service.ts); anyone with an account may ask for one on the sign-in page. Only the
 * SHA-256 of the token is stored. Following the link opens a session through better-auth's own
 * session table and signed cookie, exactly as a password sign-in does.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Auth } from '../../auth/auth.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { usersTable, type User } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { eq } from 'drizzle-orm';
import {
	consumeRateLimits,
	publicFormLimits,
	rateLimitKey,
	takeRateLimits
} from '../rate-limit/rate-limit.service.ts';
import { completePasswordSignIn } from './account-security.service.ts';
import {
	findSignInLinkByTokenHash,
	hasPassword,
	insertSignInLink,
	useSignInLinkByTokenHash
} from './account-sign-in-link.repository.ts';
import {
	accountForbidden,
	accountPasswordAlreadySet,
	accountPasswordMismatch,
	accountInvalidSignInLink,
	accountSignInLinkExpired,
	accountSignInLinkUsed
} from './account.errors.ts';
import { membershipToMail, queueSignInLinkMail, type AccountMailRequest } from './account.mails.ts';
import { canAct, refusalOfNoProgramme, resolveUser, type UserResolution } from './account.service.ts';
import { findUserByEmail } from './account.repository.ts';
import { programmeLink } from '../programme/programme-host.service.ts';
import {
	requestPasswordResetSchema,
	setOwnPasswordSchema,
	type SetOwnPasswordInput
} from './account.schemas.ts';
import { APIError } from 'better-auth/api';

const log = createLogger({ namespace: 'account:sign-in-link' });

/** How long a sign-in link works. Short: a mailbox is not a safe; a new link is one click away. */
export const SIGN_IN_LINK_TTL_MINUTES = 30;
/** Links one account may be sent per hour from the sign-in page (more requests send nothing). */
export const SIGN_IN_LINKS_PER_ACCOUNT_PER_HOUR = 3;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The address of the page that uses a link, on the address of the programme the mail is sent for. */
export function signInLinkUrl(
	{ programmeId, token }: { programmeId: string; token: string },
	{ db, config }: { db: Db; config: Pick<Config, 'origin' | 'port'> }
): Promise<string> {
	return programmeLink({ programmeId, path: `/signin/link/${encodeURIComponent(token)}` }, { db, config });
}

/**
 * Creates a link for a user, in the caller's transaction (the mail that carries it is queued
 * there too). Returns the token, which exists nowhere else once the mail is sent.
 */
export async function issueSignInLink(
	{ userId, now = new Date() }: { userId: string; now?: Date },
	{ db }: { db: Db }
): Promise<{ token: string; expiresAt: Date }> {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_TTL_MINUTES * 60_000);
	await insertSignInLink({ db, values: { userId, tokenHash: hashToken(token), expiresAt, createdAt: now } });
	return { token, expiresAt };
}

/**
 * The "receive a sign-in link" form. Answers the same whether the address has an account or not
 * (no enumeration). Counts requests per client address (SOHO_LIMIT_PASSWORD_RESETS_PER_HOUR) and
 * mails per recipient (`rate_limit.exceeded` beyond), and sends at most
 * SIGN_IN_LINKS_PER_ACCOUNT_PER_HOUR links to one account (further requests send nothing).
 */
export async function requestSignInLink(
	{ input, clientAddress = null, programmeId = null }: AccountMailRequest,
	{ db, config, now = new Date() }: { db: Db; config: Config; now?: Date }
): Promise<{ status: 'requested' }> {
	const { email } = parseInput(requestPasswordResetSchema, input);
	if (clientAddress) {
		await consumeRateLimits(
			{
				rules: publicFormLimits({
					action: 'account.sign_in_link',
					clientAddress,
					perAddressPerHour: config.limitPasswordResetsPerHour,
					recipient: email,
					config
				})
			},
			{ db, now }
		);
	}
	await db.transaction(async (tx) => {
		const user = await findUserByEmail({ db: tx, email });
		if (!user) return;
		const membership = await membershipToMail({ db: tx, userId: user.id, programmeId });
		if (!membership) return;
		const outcome = await takeRateLimits(
			{
				rules: [
					{
						key: rateLimitKey.account('account.sign_in_link', email),
						limit: SIGN_IN_LINKS_PER_ACCOUNT_PER_HOUR,
						windowSeconds: 3600
					}
				]
			},
			{ db: tx, now }
		);
		if (!outcome.isAllowed) return;
		const { token } = await issueSignInLink({ userId: user.id, now }, { db: tx });
		const link = await signInLinkUrl({ programmeId: membership.programmeId, token }, { db: tx, config });
		await queueSignInLinkMail({ user, link, programmeId: membership.programmeId }, { db: tx, config });
		log.info({ userId: user.id }, 'Sign-in link mailed');
	});
	return { status: 'requested' };
}

export type SignInLinkState = 'usable' | 'expired' | 'used' | 'unknown';

function stateOf(link: { usedAt: Date | null; expiresAt: Date } | null, now: Date): SignInLinkState {
	if (!link) return 'unknown';
	if (link.usedAt) return 'used';
	return link.expiresAt > now ? 'usable' : 'expired';
}

/**
 * What the link page shows before the person confirms (a GET never uses the link: mail
 * scanners follow links).
 */
export async function checkSignInLink(
	{ token }: { token: string },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<{ state: SignInLinkState }> {
	if (!token || token.length > 200) return { state: 'unknown' };
	return { state: stateOf(await findSignInLinkByTokenHash({ db, tokenHash: hashToken(token) }), now) };
}

/** better-auth's signed session cookie (HMAC-SHA256 of the token with the auth secret, as better-call signs it). */
function sessionCookieHeader(
	{ name, attributes }: { name: string; attributes: Record<string, unknown> },
	{ token, secret, expiresAt }: { token: string; secret: string; expiresAt: Date }
): string {
	const signature = createHmac('sha256', secret).update(token).digest('base64');
	const parts = [`${name}=${encodeURIComponent(`${token}.${signature}`)}`];
	const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
	parts.push(`Max-Age=${maxAge}`, `Path=${(attributes.path as string | undefined) ?? '/'}`);
	if (attributes.httpOnly !== false) parts.push('HttpOnly');
	if (attributes.secure) parts.push('Secure');
	const sameSite = (attributes.sameSite as string | undefined) ?? 'lax';
	parts.push(`SameSite=${sameSite.charAt(0).toUpperCase()}${sameSite.slice(1).toLowerCase()}`);
	return parts.join('; ');
}

/**
 * Uses a link, once, and opens a session: returns the Set-Cookie headers as a password sign-in
 * does. An unknown, expired or used link throws its own error (the page says which and offers a
 * new link). The person proved they read the address: it is marked verified. A user enrolled in
 * a second factor still gives it (`isTwoFactorPending`). `browserHeaders` end the browser's
 * previous session. The programme is chosen as for a password sign-in (`resolveUser`:
 * `programmeOfHost`, then `programmeId`, the remembered choice, then their only one): a person of
 * several programmes without a choice is signed in and picks one next (`mustChooseProgramme`); a
 * person whose only programmes are suspended is told so.
 */
export async function signInWithLink(
	{
		token,
		ipAddress = null,
		userAgent = null,
		browserHeaders,
		programmeId = null,
		programmeOfHost = null
	}: {
		token: string;
		ipAddress?: string | null;
		userAgent?: string | null;
		browserHeaders?: Headers;
		programmeId?: string | null;
		programmeOfHost?: string | null;
	},
	{ db, auth, now = new Date() }: { db: Db; auth: Auth; now?: Date }
): Promise<UserResolution & { headers: Headers; isTwoFactorPending: boolean }> {
	if (!token || token.length > 200) throw accountInvalidSignInLink();
	const tokenHash = hashToken(token);
	const user = await db.transaction(async (tx): Promise<User> => {
		const link = await useSignInLinkByTokenHash({ db: tx, tokenHash, now });
		if (!link) {
			const state = stateOf(await findSignInLinkByTokenHash({ db: tx, tokenHash }), now);
			if (state === 'used') throw accountSignInLinkUsed();
			if (state === 'expired') throw accountSignInLinkExpired();
			throw accountInvalidSignInLink();
		}
		const [verified] = await tx
			.update(usersTable)
			.set({ emailVerified: true })
			.where(eq(usersTable.id, link.userId))
			.returning();
		return verified;
	});
	const resolution = await resolveUser({ user, programmeId, programmeOfHost }, { db });
	if (!canAct(resolution)) {
		// The link is spent, but there is no programme to act in: no session is opened.
		throw await refusalOfNoProgramme({ userId: user.id }, { db });
	}
	// After the commit: better-auth writes through the database, not our transaction.
	const context = await auth.$context;
	const session = await context.internalAdapter.createSession(user.id, false, {
		ipAddress: ipAddress ?? '',
		userAgent: userAgent ?? ''
	});
	const { isTwoFactorPending } = await completePasswordSignIn(
		{ userId: user.id, sessionToken: session.token, browserHeaders, now },
		{ db, auth }
	);
	const headers = new Headers();
	headers.append(
		'set-cookie',
		sessionCookieHeader(context.authCookies.sessionToken, {
			token: session.token,
			secret: context.secret,
			expiresAt: session.expiresAt
		})
	);
	log.info({ userId: user.id, isTwoFactorPending }, 'Signed in with a link');
	return { ...resolution, headers, isTwoFactorPending };
}

/** Whether the signed-in person has a password yet (candidates start without one). */
export async function getOwnPasswordStatus(
	{ actor }: { actor: Actor },
	{ db }: { db: Db }
): Promise<{ hasPassword: boolean }> {
	return { hasPassword: await hasPassword({ db, userId: actor.userId }) };
}

/**
 * Someone who signs in with links adds a password to their account (then either way works).
 * Through better-auth, on the request's session (which must be recent). An account that already
 * has one is told to use "forgot your password" instead.
 */
export async function setOwnPassword(
	{ actor, input, requestHeaders }: { actor: Actor; input: SetOwnPasswordInput; requestHeaders: Headers },
	{ db, auth }: { db: Db; auth: Auth }
): Promise<{ status: 'set' }> {
	const data = parseInput(setOwnPasswordSchema, input);
	if (data.password !== data.confirmation) throw accountPasswordMismatch();
	if (await hasPassword({ db, userId: actor.userId })) throw accountPasswordAlreadySet();
	try {
		await auth.api.setPassword({ body: { newPassword: data.password }, headers: requestHeaders });
	} catch (error) {
		if (!(error instanceof APIError)) throw error;
		if (error.body?.code === 'PASSWORD_ALREADY_SET') throw accountPasswordAlreadySet();
		throw accountForbidden();
	}
	log.info({ userId: actor.userId }, 'Password added to a link-only account');
	return { status: 'set' };
}
