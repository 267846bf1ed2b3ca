import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { intlLocale, type MessageKey } from '../../../i18n/core.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import { pickLocalised } from '../village/village.rules.ts';
import type { PendingMatch } from './offer-match.repository.ts';

type Mail = { subject: string; text: string; html: string };

function offerLine(match: PendingMatch, locale: Locale): { title: string; price: string | null } {
	const title = pickLocalised({ fr: match.titleFr, en: match.titleEn }, locale) ?? match.titleFr;
	const price =
		match.price === null
			? null
			: new Intl.NumberFormat(intlLocale(locale), {
					style: 'currency',
					currency: 'EUR',
					maximumFractionDigits: 0
				}).format(match.price);
	return { title, price };
}

/** Why the offer fits, on one line ("Maison à louer · 750 € : dans votre budget de 900 €"). */
function reasonsLine(match: PendingMatch, locale: Locale): string {
	const t = createTranslator(locale);
	return match.reasons.map((reason) => t(reason.key as MessageKey, reason.values)).join(' · ');
}

/** The candidate's daily mail of the offers matched since their last one, in their language. */
export function buildCandidateOfferMatchMail({
	matches,
	origin
}: {
	matches: PendingMatch[];
	origin: string;
}): Mail {
	const [first] = matches;
	const locale = first.locale;
	const t = createTranslator(locale);
	const paragraphs = [
		t('offer_match_mail_greeting', { name: first.name }),
		t('offer_match_mail_candidate_intro', { count: matches.length }),
		...matches.map((match) => {
			const { title, price } = offerLine(match, locale);
			return [
				`• ${title} (${match.communeName}${price ? `, ${price}` : ''})`,
				`  ${reasonsLine(match, locale)}`,
				`  ${origin}/offers/${match.offerId}`
			].join('\n');
		}),
		t('offer_match_mail_candidate_outro')
	];
	const { text, html } = renderMailLayout({
		locale,
		title: t('offer_match_mail_candidate_title'),
		paragraphs,
		action: { label: t('offer_match_mail_candidate_action'), url: `${origin}/space/suggestions` },
		senderName: first.programmeName
	});
	return { subject: t('offer_match_mail_candidate_subject', { count: matches.length }), text, html };
}

/** An advisor's daily mail of the new offers matching their households, in their language. */
export function buildAdvisorOfferMatchMail({
	matches,
	origin
}: {
	matches: PendingMatch[];
	origin: string;
}): Mail {
	const [first] = matches;
	const locale = first.locale;
	const t = createTranslator(locale);
	const households = new Set(matches.map((match) => match.caseId)).size;
	const paragraphs = [
		t('offer_match_mail_greeting', { name: first.name }),
		t('offer_match_mail_advisor_intro', { count: matches.length, households }),
		...matches.map((match) => {
			const { title, price } = offerLine(match, locale);
			return [
				`• ${t(match.isUnassigned ? 'offer_match_mail_unassigned_line' : 'offer_match_mail_advisor_line', { reference: match.reference, title, score: match.score })}`,
				`  ${match.communeName}${price ? `, ${price}` : ''} · ${reasonsLine(match, locale)}`,
				`  ${origin}/backoffice/cases/${match.caseId}`,
				`  ${origin}/backoffice/offers/${match.offerId}`
			].join('\n');
		}),
		...(matches.some((match) => match.isUnassigned) ? [t('offer_match_mail_unassigned_note')] : [])
	];
	const { text, html } = renderMailLayout({
		locale,
		title: t('offer_match_mail_advisor_title'),
		paragraphs,
		action: { label: t('offer_match_mail_advisor_action'), url: `${origin}/backoffice` },
		senderName: first.programmeName
	});
	return { subject: t('offer_match_mail_advisor_subject', { count: matches.length }), text, html };
}
