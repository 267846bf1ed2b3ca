import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import { intlLocale } from '../../../i18n/core.ts';

export type RegistrationMailKind =
	| 'registered'
	| 'waitlisted'
	| 'promoted'
	| 'reminder'
	/** The event moved (date, time or place). */
	| 'changed'
	/** The event is cancelled. */
	| 'cancelled';

/**
 * The messages of an event registration, in the person's language: the confirmation (a seat, or
 * a place on the waiting list), the seat freed for someone on the waiting list, and the reminder
 * the day before, a change of date, time or place, a cancellation. Each carries the calendar file
 * link (the updated file replaces the old entry) and, unless the event is cancelled, the personal
 * link to cancel.
 */
export function buildRegistrationMail({
	kind,
	locale,
	name,
	eventTitle,
	startsAt,
	place,
	position,
	eventUrl,
	calendarUrl,
	cancelUrl,
	programmeName
}: {
	kind: RegistrationMailKind;
	locale: Locale;
	name: string;
	eventTitle: string;
	startsAt: Date;
	place: string | null;
	position?: number;
	eventUrl: string;
	calendarUrl: string;
	cancelUrl: string;
	programmeName: string;
}): { subject: string; text: string; html: string } {
	const t = createTranslator(locale);
	const when = new Intl.DateTimeFormat(intlLocale(locale), {
		dateStyle: 'full',
		timeStyle: 'short',
		timeZone: 'Europe/Paris'
	}).format(startsAt);
	const paragraphs = [
		t('evreg_mail_greeting', { name }),
		t(`evreg_mail_${kind}_body`, { title: eventTitle, when, position: position ?? 0 }),
		...(place ? [t('evreg_mail_place', { place })] : []),
		...(kind === 'cancelled'
			? [t('evreg_mail_cancelled_calendar', { url: calendarUrl })]
			: [
					t(kind === 'changed' ? 'evreg_mail_changed_calendar' : 'evreg_mail_calendar', { url: calendarUrl }),
					t('evreg_mail_cancel', { url: cancelUrl })
				])
	];
	const { text, html } = renderMailLayout({
		locale,
		title: t(`evreg_mail_${kind}_title`, { title: eventTitle }),
		paragraphs,
		action: { label: t('evreg_mail_action'), url: eventUrl },
		senderName: programmeName
	});
	return { subject: t(`evreg_mail_${kind}_subject`, { title: eventTitle, when }), text, html };
}
