import { getApp } from '#server/app.ts';
import { renderMarkdown } from '#server/content/markdown.ts';
import { getPublicSettings } from '#server/domain/programme-settings/programme-settings.service.ts';
import { findPublicProgramme } from '#server/domain/programme/programme.service.ts';
import { getRetentionPeriods } from '#server/domain/privacy/privacy.service.ts';
import type { PageServerLoad } from './$types';

/**
 * The privacy notice names the host the map tiles come from (it receives the visitor's IP address)
 * and shows the parts the programme's admins filled in: controller, DPO contact, retention periods.
 */
export const load: PageServerLoad = async ({ locals }) => {
	const app = getApp();
	const { tileUrl } = app.config;
	const { programme } = await findPublicProgramme(
		{ programmeId: locals.programmeOfHost },
		{ db: app.database.db }
	);
	const privacy = programme
		? (await getPublicSettings({ programmeId: programme.id, locale: locals.locale }, { db: app.database.db }))
				.privacy
		: null;
	// The periods the retention job applies (privacy.jobs.ts), read from the same settings: the notice stays true.
	const periods = programme
		? await getRetentionPeriods({ programmeId: programme.id }, { db: app.database.db })
		: null;
	return {
		periods: periods
			? {
					leadInactiveMonths: periods.leadInactiveMonths,
					mailBodyDays: periods.mailBodyDays,
					signInDays: periods.signInDays
				}
			: null,
		tileHost: tileUrl ? (/^https?:\/\/([^/]+)/.exec(tileUrl)?.[1] ?? null) : null,
		controller: privacy?.controller || null,
		dpoContact: privacy?.dpoContact || null,
		retentionHtml: privacy?.retention ? renderMarkdown(privacy.retention) : null
	};
};
