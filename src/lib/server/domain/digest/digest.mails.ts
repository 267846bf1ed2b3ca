import { createTranslator, type Locale } from '../../../i18n/index.ts';
import { renderMailLayout } from '../../mail/mail.layout.ts';
import type { DigestTask } from './digest.repository.ts';
import { intlLocale } from '../../../i18n/core.ts';

/** The morning digest of an advisor's tasks (overdue, then due today), in their language. */
export function buildTaskDigestMail({
	locale,
	name,
	day,
	tasks,
	programmeName,
	origin
}: {
	locale: Locale;
	name: string;
	/** ISO date the digest covers. */
	day: string;
	tasks: DigestTask[];
	programmeName: string;
	origin: string;
}): { subject: string; text: string; html: string } {
	const t = createTranslator(locale);
	const formatDay = (iso: string) =>
		new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(
			new Date(`${iso}T00:00:00Z`)
		);
	const overdue = tasks.filter((task) => task.dueOn < day);
	const today = tasks.filter((task) => task.dueOn === day);
	const line = (task: DigestTask) =>
		[
			`• ${task.title}`,
			task.caseReference ? t('digest_mail_task_case', { reference: task.caseReference }) : null,
			task.dueOn < day ? t('digest_mail_task_overdue', { date: formatDay(task.dueOn) }) : null
		]
			.filter(Boolean)
			.join(' · ');
	const paragraphs = [
		t('digest_mail_greeting', { name }),
		t('digest_mail_summary', { overdue: overdue.length, today: today.length }),
		...(overdue.length ? [t('digest_mail_overdue_heading'), ...overdue.map(line)] : []),
		...(today.length ? [t('digest_mail_today_heading'), ...today.map(line)] : [])
	];
	const title = t('digest_mail_title', { date: formatDay(day) });
	const { text, html } = renderMailLayout({
		locale,
		title,
		paragraphs,
		action: { label: t('digest_mail_action'), url: `${origin}/backoffice/my-day` },
		senderName: programmeName
	});
	return {
		subject: t('digest_mail_subject', { count: tasks.length, date: formatDay(day) }),
		text,
		html
	};
}
