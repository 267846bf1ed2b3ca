import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { getDocumentFile } from '#server/domain/candidate-space/candidate-space-documents.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { RequestHandler } from './$types';

/** A document the household sent, for the case's staff (the service refuses anyone else). */
export const GET: RequestHandler = async (event) => {
	const actor = requireActor(event);
	const app = getApp();
	const file = await getDocumentFile(
		{ actor, documentId: event.params.documentId },
		{ db: app.database.db, storage: app.storage }
	).catch(throwHttpError);
	if (file.caseId !== event.params.caseId) {
		error(404, { code: 'candidate_space.document_not_found', message: 'No such document on this case.' });
	}
	return new Response(file.data as BodyInit, {
		headers: {
			'content-type': file.mimeType,
			'content-disposition': `attachment; filename="${file.fileName}"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};
