import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { retriedStatus } from '#server/domain/mail/mail.rules.ts';
import { getOutboxMessage, isSmtpConfigured, retryMail } from '#server/domain/mail/mail.service.ts';
import { failForm, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
	try {
		const app = getApp();
		const { message } = await getOutboxMessage(
			{ actor: locals.actor, messageId: params.messageId },
			{ db: app.database.db }
		);
		return { message, canRetry: retriedStatus(message.status, isSmtpConfigured(app.config)) !== null };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	retry: async ({ locals, params, url }) => {
		if (!locals.actor) redirect(303, `/signin?next=${encodeURIComponent(url.pathname)}`);
		const app = getApp();
		try {
			await retryMail(
				{ actor: locals.actor, messageId: params.messageId },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, {});
		}
		// Sent in the background; the page shows the queued status now.
		void app.mailer.kick();
		return { isRetried: true };
	}
};
