import { AsyncLocalStorage } from 'node:async_hooks';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { User } from '../../db/schema/index.ts';
import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findActiveMemberships } from './account.repository.ts';
import { programmeLink } from '../programme/programme-host.service.ts';

const escapeHtml = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

type AccountMailKind = 'reset' | 'unlock' | 'signin_link';

/** A form that asks for an account mail (reset, sign-in link). */
export type AccountMailRequest = {
	input: { email: string };
	/** Rate limits per client address (none when null: the CLI, tests). */
	clientAddress?: string | null;
	/** The programme whose address the form was sent from (the mail speaks for it when the person is a member there). */
	programmeId?: string | null;
};

/**
 * The membership an account mail speaks for and links to: the one in the programme whose address
 * the person used (its host name or path prefix: `locals.programmeOfHost`), when they are an active
 * member there, else their first active one; none when they may not sign in. A person on the staff
 * of two programmes who asks on the Lot's address gets the Lot's name and the Lot's link.
 */
export async function membershipToMail({
	db,
	userId,
	programmeId
}: {
	db: Db;
	userId: string;
	programmeId: string | null;
}): Promise<{ programmeId: string } | undefined> {
	const memberships = await findActiveMemberships({ db, userId });
	return memberships.find((membership) => membership.programmeId === programmeId) ?? memberships[0];
}

/**
 * The programme a password reset was asked from, for the mail better-auth has sent from inside
 * `auth.api.requestPasswordReset` (its callback knows only the user and the token).
 */
const resetAskedFrom = new AsyncLocalStorage<string | null>();

/** Runs `work` (a password-reset request) as asked from `programmeId`'s address. */
export function askingResetFrom<T>(programmeId: string | null, work: () => Promise<T>): Promise<T> {
	return resetAskedFrom.run(programmeId, work);
}

/** The password-reset email, in the user's language; the link carries the one-time token. */
export function buildPasswordResetMail(input: {
	locale: Locale;
	name: string;
	programmeName: string;
	link: string;
}): { subject: string; text: string; html: string } {
	return buildAccountLinkMail({ kind: 'reset', ...input });
}

/**
 * The mails of the account area that carry a one-time link (reset, unlock): a title, a greeting,
 * a body, the link and what to do if the person did not ask for it.
 */
function buildAccountLinkMail({
	kind,
	locale,
	name,
	programmeName,
	link
}: {
	kind: AccountMailKind;
	locale: Locale;
	name: string;
	programmeName: string;
	link: string;
}): { subject: string; text: string; html: string } {
	const t = createTranslator(locale);
	const key = (part: string) => `account_mail_${kind}_${part}` as Parameters<typeof t>[0];
	const paragraphs = [t(key('greeting'), { name }), t(key('body'))];
	const text = [...paragraphs, `${t(key('action'))} : ${link}`, t(key('ignore'))].join('\n\n');
	const html = [
		`<h1>${escapeHtml(t(key('title')))}</h1>`,
		...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
		`<p><a href="${escapeHtml(link)}">${escapeHtml(t(key('action')))}</a></p>`,
		`<p>${escapeHtml(t(key('ignore')))}</p>`
	].join('\n');
	return { subject: t(key('subject'), { programme: programmeName }), text, html };
}

/** Queues the reset email in the outbox (sent by the mail worker when SMTP is configured). */
export async function queuePasswordResetMail(
	{
		user,
		token,
		programmeId = resetAskedFrom.getStore() ?? null
	}: {
		user: User;
		token: string;
		/** The programme whose address the reset was asked from (see `membershipToMail`). */
		programmeId?: string | null;
	},
	{ db, config }: { db: Db; config: Config }
): Promise<void> {
	// A person without an active membership may not sign in: no reset link for them.
	const membership = await membershipToMail({ db, userId: user.id, programmeId });
	if (!membership) return;
	const programme = await findProgrammeById({ db, programmeId: membership.programmeId });
	const link = await programmeLink(
		{ programmeId: membership.programmeId, path: `/reset-password?token=${encodeURIComponent(token)}` },
		{ db, config }
	);
	const mail = buildPasswordResetMail({
		locale: user.locale === 'en' ? 'en' : 'fr',
		name: user.name,
		programmeName: programme?.name ?? 'soho',
		link
	});
	await queueMail(
		{ programmeId: membership.programmeId, kind: 'account.password_reset', to: user.email, ...mail },
		{ db, config }
	);
}

/**
 * Queues the mail that lets an account's owner lift a sign-in lock on their email (a burst of
 * wrong passwords from some address). Nothing for an unknown address or a person who may not
 * sign in. Called in the caller's transaction.
 */
export async function queueSignInUnlockMail(
	{ user, token, programmeId = null }: { user: User; token: string; programmeId?: string | null },
	{ db, config }: { db: Db; config: Config }
): Promise<boolean> {
	const membership = await membershipToMail({ db, userId: user.id, programmeId });
	if (!membership) return false;
	const programme = await findProgrammeById({ db, programmeId: membership.programmeId });
	const mail = buildAccountLinkMail({
		kind: 'unlock',
		locale: user.locale === 'en' ? 'en' : 'fr',
		name: user.name,
		programmeName: programme?.name ?? 'soho',
		link: await programmeLink(
			{ programmeId: membership.programmeId, path: `/unlock/${encodeURIComponent(token)}` },
			{ db, config }
		)
	});
	await queueMail(
		{ programmeId: membership.programmeId, kind: 'account.signin_unlock', to: user.email, ...mail },
		{ db, config }
	);
	return true;
}

/**
 * Queues a password-less sign-in link (asked for on the sign-in page), in the caller's
 * transaction. Nothing for a person who may not sign in.
 */
export async function queueSignInLinkMail(
	{ user, link, programmeId = null }: { user: User; link: string; programmeId?: string | null },
	{ db, config }: { db: Db; config: Pick<Config, 'smtpUrl'> }
): Promise<boolean> {
	const membership = await membershipToMail({ db, userId: user.id, programmeId });
	if (!membership) return false;
	const programme = await findProgrammeById({ db, programmeId: membership.programmeId });
	const mail = buildAccountLinkMail({
		kind: 'signin_link',
		locale: user.locale === 'en' ? 'en' : 'fr',
		name: user.name,
		programmeName: programme?.name ?? 'soho',
		link
	});
	await queueMail(
		{ programmeId: membership.programmeId, kind: 'account.sign_in_link', to: user.email, ...mail },
		{ db, config }
	);
	return true;
}
