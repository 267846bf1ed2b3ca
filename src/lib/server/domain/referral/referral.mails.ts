import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { ReferralNeedKind, ReferralOutcome, ReferralStatus } from '../../db/schema/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';
import type { MailKind } from '../mail/mail.schemas.ts';
import { intlLocale } from '../../../i18n/core.ts';

/*
 * Referral notifications carry no personal details: the organisation reads the shared
 * fields in the back office, after signing in.
 */

type Mail = { subject: string; text: string; html: string };

/** To an organisation (its address and each partner account): a new referral waits for an answer. */
export function buildReferralCreatedMail({
	locale,
	programmeName,
	organisationName,
	needKind,
	expectedAnswerOn,
	url
}: {
	locale: Locale;
	programmeName: string;
	organisationName: string;
	needKind: ReferralNeedKind;
	expectedAnswerOn: string;
	url: string;
}): Mail {
	const t = (key: string, params?: Record<string, string>) => translate(locale, key, params);
	const date = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(
		new Date(`${expectedAnswerOn}T12:00:00Z`)
	);
	const title = t('referral_mail_created_title');
	const { text, html } = renderMailLayout({
		locale,
		title,
		paragraphs: [
			t('referral_mail_created_greeting', { organisation: organisationName }),
			t('referral_mail_created_body', {
				programme: programmeName,
				need: t(`referral_need_${needKind}`)
			}),
			t('referral_mail_created_deadline', { date })
		],
		action: { label: t('referral_mail_open'), url },
		senderName: programmeName
	});
	return { subject: t('referral_mail_created_subject', { programme: programmeName }), text, html };
}

/** To the case's advisor: the organisation answered, or recorded the outcome. */
export function buildReferralUpdatedMail({
	locale,
	programmeName,
	organisationName,
	reference,
	status,
	outcome,
	url
}: {
	locale: Locale;
	programmeName: string;
	organisationName: string;
	reference: string;
	status: ReferralStatus;
	outcome: ReferralOutcome | null;
	url: string;
}): Mail {
	const t = (key: string, params?: Record<string, string>) => translate(locale, key, params);
	const what =
		status === 'outcome_recorded' && outcome
			? t('referral_mail_updated_outcome', { outcome: t(`referral_outcome_${outcome}`) })
			: t(`referral_mail_updated_${status}`);
	const title = t('referral_mail_updated_title', { reference });
	const { text, html } = renderMailLayout({
		locale,
		title,
		paragraphs: [t('referral_mail_updated_body', { organisation: organisationName, reference }), what],
		action: { label: t('referral_mail_open'), url },
		senderName: programmeName
	});
	return {
		subject: t('referral_mail_updated_subject', { reference, organisation: organisationName }),
		text,
		html
	};
}

export async function queueReferralMail(
	{ programmeId, kind, to, mail }: { programmeId: string; kind: MailKind; to: string; mail: Mail },
	{ db, config }: { db: Db; config: Pick<Config, 'smtpUrl'> }
): Promise<void> {
	await queueMail({ programmeId, kind, to, ...mail }, { db, config });
}
