import { getApp } from '#server/app.ts';
import { exportOwnData, personExportFile } from '#server/domain/privacy/privacy.service.ts';
import { requireRole } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { RequestHandler } from './$types';

/** "Download my data": `/member/privacy/export?format=json|csv`, the person's own access request. */
export const GET: RequestHandler = async (event) => {
	const actor = requireRole(event, ['member', 'candidate'], {
		code: 'privacy.forbidden',
		message: 'This page is for members and candidates.'
	});
	try {
		const { export: data } = await exportOwnData({ actor }, { db: getApp().database.db });
		const file = personExportFile(data, event.url.searchParams.get('format') ?? 'json');
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
