import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';

/** The confirmation sent to a household that applied on the web form, in their language. */
export function buildApplicationReceivedMail({
	locale,
	firstName,
	programmeName,
	reference
}: {
	locale: Locale;
	firstName: string;
	programmeName: string;
	reference: string;
}): { subject: string; text: string; html: string } {
	const t = (key: string, params?: Record<string, string>) => translate(locale, key, params);
	const title = t('case_mail_application_title');
	const { text, html } = renderMailLayout({
		locale,
		title,
		paragraphs: [
			t('case_mail_application_greeting', { name: firstName }),
			t('case_mail_application_body', { programme: programmeName }),
			t('case_mail_application_reference', { reference }),
			t('case_mail_application_next'),
			t('case_mail_application_privacy')
		],
		senderName: programmeName
	});
	return { subject: t('case_mail_application_subject', { programme: programmeName, reference }), text, html };
}

/** Queues the confirmation in the caller's transaction: it leaves only if the case is committed. */
export async function queueApplicationReceivedMail(
	input: {
		programmeId: string;
		to: string;
		locale: Locale;
		firstName: string;
		programmeName: string;
		reference: string;
	},
	{ db, config }: { db: Db; config: Pick<Config, 'smtpUrl'> }
): Promise<void> {
	const mail = buildApplicationReceivedMail(input);
	await queueMail(
		{ programmeId: input.programmeId, kind: 'case.application_received', to: input.to, ...mail },
		{ db, config }
	);
}
