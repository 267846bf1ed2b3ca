import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';
import { programmeLink } from '../programme/programme-host.service.ts';

/** The invitation to become a member, in the member's language; the link lets them set a password. */
export function buildMemberInvitationMail({
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
	const t = (key: string, params?: Record<string, string>) => translate(locale, key, params);
	const { text, html } = renderMailLayout({
		locale,
		title: t('member_mail_invitation_title', { programme: programmeName }),
		paragraphs: [
			t('member_mail_invitation_greeting', { name }),
			t('member_mail_invitation_body', { programme: programmeName }),
			t('member_mail_invitation_directory'),
			t('member_mail_invitation_expiry')
		],
		action: { label: t('member_mail_invitation_action'), url: link },
		senderName: programmeName
	});
	return { subject: t('member_mail_invitation_subject', { programme: programmeName }), text, html };
}

/** Queues the invitation in the caller's transaction: it leaves only if the member is created. */
export async function queueMemberInvitationMail(
	input: {
		programmeId: string;
		caseId: string;
		to: string;
		locale: Locale;
		name: string;
		programmeName: string;
		token: string;
	},
	{ db, config }: { db: Db; config: Pick<Config, 'smtpUrl' | 'origin' | 'port'> }
): Promise<void> {
	const link = await programmeLink(
		{ programmeId: input.programmeId, path: `/reset-password?token=${encodeURIComponent(input.token)}` },
		{ db, config }
	);
	const mail = buildMemberInvitationMail({ ...input, link });
	await queueMail(
		{
			programmeId: input.programmeId,
			caseId: input.caseId,
			kind: 'member.invitation',
			to: input.to,
			...mail
		},
		{ db, config }
	);
}
