import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { intlLocale } from '../../../i18n/core.ts';

const escapeHtml = (text: string) =>
	text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);

/** The reminder sent to an offer's owner a few days before it leaves the portal, in their language. */
export function buildOfferExpiryMail({
	locale,
	name,
	title,
	expiresAt,
	programmeName,
	link
}: {
	locale: Locale;
	name: string | null;
	title: string;
	expiresAt: Date;
	programmeName: string;
	link: string;
}): { subject: string; text: string; html: string } {
	const t = createTranslator(locale);
	const date = new Intl.DateTimeFormat(intlLocale(locale), {
		dateStyle: 'long',
		timeZone: 'Europe/Paris'
	}).format(expiresAt);
	const paragraphs = [
		name ? t('offer_mail_expiry_greeting', { name }) : t('offer_mail_expiry_greeting_anonymous'),
		t('offer_mail_expiry_body', { title, date, programme: programmeName }),
		t('offer_mail_expiry_hint')
	];
	const text = [...paragraphs, `${t('offer_mail_expiry_action')} : ${link}`].join('\n\n');
	const html = [
		...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
		`<p><a href="${escapeHtml(link)}">${escapeHtml(t('offer_mail_expiry_action'))}</a></p>`
	].join('\n');
	return { subject: t('offer_mail_expiry_subject', { title, date }), text, html };
}
