import { error } from '@sveltejs/kit';
import * as v from 'valibot';
import { getApp } from '#server/app.ts';
import { MAIL_STATUSES } from '#server/db/schema/index.ts';
import { isSmtpConfigured, listOutbox } from '#server/domain/mail/mail.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

const querySchema = v.object({
	status: v.optional(v.picklist(MAIL_STATUSES)),
	page: v.optional(v.pipe(v.string(), v.regex(/^\d{1,6}$/), v.transform(Number), v.minValue(1)), '1')
});

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	const query = v.safeParse(querySchema, {
		status: url.searchParams.get('status') || undefined,
		page: url.searchParams.get('page') || undefined
	});
	if (!query.success) error(400, { code: 'validation.invalid_input', message: 'Invalid outbox query' });
	const { status, page } = query.output;
	const app = getApp();
	try {
		const { messages, total } = await listOutbox(
			{ actor, status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE },
			{ db: app.database.db }
		);
		return {
			messages,
			total,
			statuses: MAIL_STATUSES,
			status: status ?? null,
			page,
			pageCount: Math.max(1, Math.ceil(total / PAGE_SIZE)),
			isSmtpConfigured: isSmtpConfigured(app.config)
		};
	} catch (err) {
		throwHttpError(err);
	}
};
