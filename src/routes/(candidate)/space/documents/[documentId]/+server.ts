import { getApp } from '#server/app.ts';
import { getDocumentFile } from '#server/domain/candidate-space/candidate-space-documents.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { RequestHandler } from './$types';

/** A document the candidate sent, downloaded by that candidate only (the service checks it is theirs). */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const app = getApp();
	const { data, fileName, mimeType } = await getDocumentFile(
		{ actor, documentId: event.params.documentId },
		{ db: app.database.db, storage: app.storage }
	).catch(throwHttpError);
	return new Response(data as BodyInit, {
		headers: {
			'content-type': mimeType,
			'content-disposition': `attachment; filename="${fileName}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
