/**
 * The mails of the candidate's space: a new message (to the advisor, or to the candidate) and a
 * document asked for. They say that something waits and where; the message itself stays in the
 * space (a mailbox is not where a household's file should spread).
 */
import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';
import type { MailKind } from '../mail/mail.schemas.ts';
import { programmeLink } from '../programme/programme-host.service.ts';

export type SpaceMailKind = 'message_to_advisor' | 'message_to_candidate' | 'document_requested';

const SPACE_MAIL_KINDS: Record<SpaceMailKind, MailKind> = {
	message_to_advisor: 'candidate_space.message_to_advisor',
	message_to_candidate: 'candidate_space.message_to_candidate',
	document_requested: 'candidate_space.document_requested'
};

/** One notification of the space, in the addressee's language. */
export function buildSpaceMail({
	kind,
	locale,
	name,
	programmeName,
	reference,
	detail,
	url
}: {
	kind: SpaceMailKind;
	locale: Locale;
	name: string;
	programmeName: string;
	reference: string;
	/** The candidate's name (to the advisor) or the document's label (document requested). */
	detail: string;
	url: string;
}): { subject: string; text: string; html: string } {
	const t = (part: string) =>
		translate(locale, `candidate_space_mail_${kind}_${part}`, {
			name,
			programme: programmeName,
			reference,
			detail
		});
	const { text, html } = renderMailLayout({
		locale,
		title: t('title'),
		paragraphs: [translate(locale, 'candidate_space_mail_greeting', { name }), t('body')],
		action: { label: t('action'), url },
		senderName: programmeName
	});
	return { subject: t('subject'), text, html };
}

/** Queues a notification in the caller's transaction (it leaves only if the write commits). */
export async function queueSpaceMail(
	input: {
		kind: SpaceMailKind;
		programmeId: string;
		caseId: string;
		to: { name: string; email: string; locale: Locale };
		programmeName: string;
		reference: string;
		detail: string;
		/** Path on this site: the space page or the case page. */
		path: string;
	},
	{ db, config }: { db: Db; config: Pick<Config, 'smtpUrl' | 'origin' | 'port'> }
): Promise<void> {
	const mail = buildSpaceMail({
		kind: input.kind,
		locale: input.to.locale,
		name: input.to.name,
		programmeName: input.programmeName,
		reference: input.reference,
		detail: input.detail,
		url: await programmeLink({ programmeId: input.programmeId, path: input.path }, { db, config })
	});
	await queueMail(
		{
			programmeId: input.programmeId,
			caseId: input.caseId,
			kind: SPACE_MAIL_KINDS[input.kind],
			to: input.to.email,
			...mail
		},
		{ db, config }
	);
}
