import { publicOrigin, type Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { User } from '../../db/schema/index.ts';
import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';
import { findProgrammeById } from '../programme/programme.repository.ts';
import { findActiveMemberships } from './account.repository.ts';

const escapeHtml = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

/** The password-reset email, in the user's language; the link carries the one-time token. */
export function buildPasswordResetMail({
	locale,
	name,
	programmeName,
	link
}: {
	locale: Locale;
	name: string;
	programmeName: string;
	link: string;
}): { subject: string; text: string; html: string } {
	const t = createTranslator(locale);
	const paragraphs = [t('account_mail_reset_greeting', { name }), t('account_mail_reset_body')];
	const text = [
		...paragraphs,
		`${t('account_mail_reset_action')} : ${link}`,
		t('account_mail_reset_ignore')
	].join('\n\n');
	const html = [
		`<h1>${escapeHtml(t('account_mail_reset_title'))}</h1>`,
		...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
		`<p><a href="${escapeHtml(link)}">${escapeHtml(t('account_mail_reset_action'))}</a></p>`,
		`<p>${escapeHtml(t('account_mail_reset_ignore'))}</p>`
	].join('\n');
	return { subject: t('account_mail_reset_subject', { programme: programmeName }), text, html };
}

/** Queues the reset email in the outbox (sent by the mail worker when SMTP is configured). */
export async function queuePasswordResetMail(
	{ user, token }: { user: User; token: string },
	{ db, config }: { db: Db; config: Config }
): Promise<void> {
	// A person without an active membership may not sign in: no reset link for them.
	const [membership] = await findActiveMemberships({ db, userId: user.id });
	if (!membership) return;
	const programme = await findProgrammeById({ db, programmeId: membership.programmeId });
	const link = `${publicOrigin(config)}/reset-password?token=${encodeURIComponent(token)}`;
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
