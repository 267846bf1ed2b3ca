import { getApp } from '#server/app.ts';
import {
	listOwnDocuments,
	uploadOwnDocument
} from '#server/domain/candidate-space/candidate-space-documents.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/** The documents the advisor asked for: send each one, download what was sent. */
export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const { documents } = await listOwnDocuments({ actor }, { db: getApp().database.db }).catch(throwHttpError);
	return { documents, isUploaded: event.url.searchParams.has('uploaded') };
};

export const actions: Actions = {
	upload: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const documentId = formText(data, 'documentId');
		const entry = data.get('file');
		const file =
			entry instanceof File && entry.size > 0
				? { name: entry.name, data: new Uint8Array(await entry.arrayBuffer()) }
				: null;
		const app = getApp();
		try {
			await uploadOwnDocument({ actor, documentId, file }, { db: app.database.db, storage: app.storage });
		} catch (err) {
			return failForm(err, { documentId });
		}
		seeOther('/space/documents', { uploaded: '1' });
	}
};
