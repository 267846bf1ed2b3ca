import { getApp } from '#server/app.ts';
import { listOwnMessages, sendOwnMessage } from '#server/domain/candidate-space/candidate-space.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** The conversation with the advisor: read, and write (the advisor is told by mail). */
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { messages, advisor } = await listOwnMessages({ actor }, { db: getApp().database.db }).catch(
		throwHttpError
	);
	return { messages, advisor, isSent: event.url.searchParams.has('sent') };
};

export const actions: Actions = {
	default: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const app = getApp();
		try {
			await sendOwnMessage(
				{ actor, input: { body: formText(data, 'body') } },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, formValues(data));
		}
		void app.mailer.kick();
		seeOther('/space/messages', { sent: '1' });
	}
};
