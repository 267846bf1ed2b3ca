import { getApp } from '#server/app.ts';
import { retriedStatus } from '#server/domain/mail/mail.rules.ts';
import { getOutboxMessage, isSmtpConfigured, retryMail } from '#server/domain/mail/mail.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	try {
		const app = getApp();
		const { message } = await getOutboxMessage(
			{ actor, messageId: params.messageId },
			{ db: app.database.db }
		);
		return { message, canRetry: retriedStatus(message.status, isSmtpConfigured(app.config)) !== null };
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	retry: async ({ locals, params, url }) => {
		const actor = requireActor({ locals, url });
		const app = getApp();
		try {
			await retryMail({ actor, messageId: params.messageId }, { db: app.database.db, config: app.config });
		} catch (err) {
			return failForm(err, {});
		}
		// Sent in the background; the page shows the queued status now.
		void app.mailer.kick();
		return { isRetried: true };
	}
};
