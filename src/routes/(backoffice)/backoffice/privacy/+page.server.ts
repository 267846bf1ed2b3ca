import { getApp } from '#server/app.ts';
import {
	getProcessingRegister,
	runRetention,
	updateRetentionPeriods
} from '#server/domain/privacy/privacy.service.ts';
import { requireRole } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

const ADMINS_ONLY = { code: 'privacy.forbidden', message: 'Data protection is for admins.' };

/** Data protection (admins): retention periods, the dry run of the scheduled purge, the register (art. 30). */
export const load: PageServerLoad = async (event) => {
	const actor = requireRole(event, ['admin'], ADMINS_ONLY);
	const db = getApp().database.db;
	try {
		const register = await getProcessingRegister({ actor }, { db });
		const report = await runRetention({ actor, dryRun: true }, { db, storage: getApp().storage });
		const ran = event.url.searchParams.get('ran');
		return {
			register,
			report,
			saved: event.url.searchParams.has('saved'),
			ran: ran ? ran.split(',').map(Number) : null
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	retention: async (event) => {
		const actor = requireRole(event, ['admin'], ADMINS_ONLY);
		const data = await event.request.formData();
		try {
			await updateRetentionPeriods(
				{
					actor,
					input: {
						leadInactiveMonths: formText(data, 'leadInactiveMonths'),
						mailBodyDays: formText(data, 'mailBodyDays')
					}
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		seeOther('/backoffice/privacy', { saved: '1' });
	},
	run: async (event) => {
		const actor = requireRole(event, ['admin'], ADMINS_ONLY);
		let counts;
		try {
			const app = getApp();
			({ counts } = await runRetention(
				{ actor, dryRun: false },
				{ db: app.database.db, storage: app.storage }
			));
		} catch (err) {
			return failForm(err, {});
		}
		seeOther('/backoffice/privacy', {
			ran: [counts.inactive_leads, counts.mail_bodies, counts.sign_in_attempts, counts.session_ips].join(',')
		});
	}
};
