import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import { intlLocale } from '../../../i18n/core.ts';

/** The invitation to a follow-up wave (or its reminder), with the household's personal link. */
export function buildSurveyMail({
	locale,
	kind,
	firstName,
	waveMonths,
	url,
	expiresOn,
	programmeName
}: {
	locale: Locale;
	kind: 'invitation' | 'reminder';
	firstName: string | null;
	waveMonths: number;
	url: string;
	/** ISO date the link stops working. */
	expiresOn: string;
	programmeName: string;
}): { subject: string; text: string; html: string } {
	const t = createTranslator(locale);
	const expires = new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone: 'UTC' }).format(
		new Date(`${expiresOn}T00:00:00Z`)
	);
	const title = t('followup_mail_title', { months: waveMonths });
	const { text, html } = renderMailLayout({
		locale,
		title,
		paragraphs: [
			firstName ? t('followup_mail_greeting', { name: firstName }) : t('followup_mail_greeting_anonymous'),
			kind === 'reminder'
				? t('followup_mail_reminder_body')
				: t('followup_mail_body', { months: waveMonths }),
			t('followup_mail_no_sign_in'),
			t('followup_mail_expires', { date: expires })
		],
		action: { label: t('followup_mail_action'), url },
		senderName: programmeName
	});
	const subject =
		kind === 'reminder'
			? t('followup_mail_reminder_subject', { months: waveMonths })
			: t('followup_mail_subject', { months: waveMonths });
	return { subject, text, html };
}
