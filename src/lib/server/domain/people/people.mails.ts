import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Invitation } from '../../db/schema/index.ts';
import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';
import { programmeLink } from '../programme/programme-host.service.ts';

const escapeHtml = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

/** The invitation email, in the invitee's language; the link lets them choose a password. */
export function buildInvitationMail({
	locale,
	name,
	programmeName,
	inviterName,
	roleLabel,
	link,
	expiresInDays
}: {
	locale: Locale;
	name: string;
	programmeName: string;
	inviterName: string;
	roleLabel: string;
	link: string;
	expiresInDays: number;
}): { subject: string; text: string; html: string } {
	const t = createTranslator(locale);
	const paragraphs = [
		t('people_mail_invite_greeting', { name }),
		t('people_mail_invite_body', { inviter: inviterName, programme: programmeName, role: roleLabel }),
		t('people_mail_invite_expiry', { days: expiresInDays })
	];
	const text = [
		...paragraphs,
		`${t('people_mail_invite_action')} : ${link}`,
		t('people_mail_invite_ignore')
	].join('\n\n');
	const html = [
		`<h1>${escapeHtml(t('people_mail_invite_title', { programme: programmeName }))}</h1>`,
		...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
		`<p><a href="${escapeHtml(link)}">${escapeHtml(t('people_mail_invite_action'))}</a></p>`,
		`<p>${escapeHtml(t('people_mail_invite_ignore'))}</p>`
	].join('\n');
	return { subject: t('people_mail_invite_subject', { programme: programmeName }), text, html };
}

/** Queues the invitation email in the outbox, in the caller's transaction. */
export async function queueInvitationMail(
	{
		invitation,
		token,
		programmeName,
		inviterName,
		expiresInDays
	}: {
		invitation: Invitation;
		token: string;
		programmeName: string;
		inviterName: string;
		expiresInDays: number;
	},
	{ db, config }: { db: Db; config: Config }
): Promise<void> {
	const locale: Locale = invitation.locale === 'en' ? 'en' : 'fr';
	const t = createTranslator(locale);
	const mail = buildInvitationMail({
		locale,
		name: invitation.name,
		programmeName,
		inviterName,
		roleLabel: t(`people_role_${invitation.role}` as Parameters<typeof t>[0]),
		link: await programmeLink(
			{ programmeId: invitation.programmeId, path: `/invitation/${encodeURIComponent(token)}` },
			{ db, config }
		),
		expiresInDays
	});
	await queueMail(
		{ programmeId: invitation.programmeId, kind: 'people.invitation', to: invitation.email, ...mail },
		{ db, config }
	);
}
