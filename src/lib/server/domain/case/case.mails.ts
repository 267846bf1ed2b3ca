import type { Config } from '../../config.ts';
import type { Db } from '../../db/index.ts';
import type { Case, Person } from '../../db/schema/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import { translate, type Locale } from '../../../i18n/index.ts';
import { queueMail } from '../mail/mail.service.ts';

/** The confirmation sent to a household that applied on the web form, in their language. */
export function buildApplicationReceivedMail({
	locale,
	firstName,
	programmeName,
	reference,
	signInLink = null
}: {
	locale: Locale;
	firstName: string;
	programmeName: string;
	reference: string;
	/** The one-time link to the candidate's space (none when the address belongs to another role). */
	signInLink?: string | null;
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
			...(signInLink ? [t('candidate_space_mail_application_space')] : []),
			t('case_mail_application_privacy')
		],
		action: signInLink ? { label: t('candidate_space_mail_application_action'), url: signInLink } : undefined,
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
		caseId?: string;
		signInLink?: string | null;
	},
	{ db, config }: { db: Db; config: Pick<Config, 'smtpUrl'> }
): Promise<void> {
	const mail = buildApplicationReceivedMail(input);
	await queueMail(
		{
			programmeId: input.programmeId,
			caseId: input.caseId,
			kind: 'case.application_received',
			to: input.to,
			...mail
		},
		{ db, config }
	);
}

/**
 * The notice sent to each member of a village committee when a case starts targeting
 * their village, in the member's language. The household's details (reference, names,
 * composition, professions, wished area, timeline) and the link to the case come only
 * when the household agreed to share with committees; otherwise the notice carries no
 * personal data.
 */
export function buildCommitteeNotificationMail({
	locale,
	memberName,
	villageName,
	programmeName,
	kase,
	persons,
	year,
	caseUrl
}: {
	locale: Locale;
	memberName: string;
	villageName: string;
	programmeName: string;
	kase: Pick<Case, 'reference' | 'consents' | 'wishedArea' | 'timeline'>;
	persons: Pick<Person, 'householdRole' | 'firstName' | 'lastName' | 'profession' | 'birthYear'>[];
	year: number;
	caseUrl: string | null;
}): { subject: string; text: string; html: string } {
	const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
	const shared = kase.consents.shareWithCommittees === true;
	const title = t('caseedit_mail_committee_title', { village: villageName });
	const paragraphs = [t('caseedit_mail_committee_greeting', { name: memberName })];
	if (shared) {
		const candidate = persons.find((person) => person.householdRole === 'candidate');
		const adults = persons.filter((person) => person.householdRole !== 'child').length;
		const children = persons
			.filter((person) => person.householdRole === 'child' && person.birthYear)
			.map((person) => year - (person.birthYear as number));
		paragraphs.push(
			t('caseedit_mail_committee_shared_intro', {
				village: villageName,
				programme: programmeName,
				reference: kase.reference
			}),
			t('caseedit_mail_committee_household', {
				name: [candidate?.firstName, candidate?.lastName].filter(Boolean).join(' ') || '—',
				adults,
				children: children.length
					? t('caseedit_mail_committee_children', { ages: children.sort((a, b) => b - a).join(', ') })
					: t('caseedit_mail_committee_no_children')
			})
		);
		const professions = persons.flatMap((person) => (person.profession ? [person.profession] : []));
		if (professions.length) {
			paragraphs.push(t('caseedit_mail_committee_professions', { professions: professions.join(', ') }));
		}
		if (kase.wishedArea) paragraphs.push(t('caseedit_mail_committee_wished_area', { area: kase.wishedArea }));
		if (kase.timeline) {
			paragraphs.push(
				t('caseedit_mail_committee_timeline', { timeline: t(`case_timeline_${kase.timeline}`) })
			);
		}
		paragraphs.push(t('caseedit_mail_committee_shared_next'));
	} else {
		paragraphs.push(
			t('caseedit_mail_committee_private_intro', { village: villageName, programme: programmeName }),
			t('caseedit_mail_committee_private_next')
		);
	}
	const { text, html } = renderMailLayout({
		locale,
		title,
		paragraphs,
		action: shared && caseUrl ? { label: t('caseedit_mail_committee_action'), url: caseUrl } : undefined,
		senderName: programmeName
	});
	return {
		subject: t('caseedit_mail_committee_subject', { village: villageName, programme: programmeName }),
		text,
		html
	};
}
