import { getApp } from '#server/app.ts';
import { exportPersonData, personExportFile } from '#server/domain/privacy/privacy.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { RequestHandler } from './$types';

/** The access request for a person: `/backoffice/privacy/persons/ID/export?format=json|csv` (admins). */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	try {
		const { export: data } = await exportPersonData(
			{ actor, personId: params.personId },
			{ db: getApp().database.db }
		);
		const file = personExportFile(data, url.searchParams.get('format') ?? 'json');
		return new Response(file.body as BodyInit, {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${file.fileName}"`,
				'cache-control': 'private, no-store'
			}
		});
	} catch (err) {
		throwHttpError(err);
	}
};
