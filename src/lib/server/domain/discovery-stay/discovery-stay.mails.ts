import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import type { HostHousehold } from './discovery-stay.rules.ts';

export type StayHostMailKind = 'invited' | 'changed' | 'cancelled';

/**
 * What a host is told of a meeting: its date, time and place, and the households' first names and
 * sizes — never the case file. `invited` asks them to confirm on their page; `changed` says the
 * stay moved; `cancelled` that the meeting will not take place.
 */
export function buildHostMail({
	locale,
	kind,
	hostName,
	startsAt,
	endsAt,
	place,
	households,
	url,
	programmeName
}: {
	locale: Locale;
	kind: StayHostMailKind;
	hostName: string;
	startsAt: Date;
	endsAt: Date;
	place: string;
	households: HostHousehold[];
	url: string;
	programmeName: string;
}): { subject: string; text: string; html: string } {
	const t = createTranslator(locale);
	const day = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'Europe/Paris' }).format(
		startsAt
	);
	const time = new Intl.DateTimeFormat(locale, { timeStyle: 'short', timeZone: 'Europe/Paris' });
	const who = households
		.map((household) =>
			t('stays_mail_household', { name: household.firstName ?? '—', count: household.size })
		)
		.join(', ');
	const title = t(`stays_mail_${kind}_title`);
	const { text, html } = renderMailLayout({
		locale,
		title,
		paragraphs: [
			t('stays_mail_greeting', { name: hostName }),
			t(`stays_mail_${kind}_body`),
			t('stays_mail_when', { day, from: time.format(startsAt), to: time.format(endsAt) }),
			t('stays_mail_where', { place }),
			t('stays_mail_who', { households: who })
		],
		action: kind === 'cancelled' ? undefined : { label: t('stays_mail_action'), url },
		senderName: programmeName
	});
	return { subject: t(`stays_mail_${kind}_subject`, { day }), text, html };
}
