import { getApp } from '#server/app.ts';
import { requireActor } from '#server/http/actor.ts';
import { listOtherTexts, mapOtherTextToKey } from '#server/domain/vocabulary/vocabulary.service.ts';
import { failForm, formText, throwHttpError } from '#server/http/errors.ts';
import type { MapOtherTextInput } from '#server/domain/vocabulary/vocabulary.schemas.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const actor = requireActor({ locals, url });
	try {
		return await listOtherTexts({ actor }, { db: getApp().database.db });
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	map: async ({ locals, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const input = {
			vocabulary: formText(data, 'vocabulary'),
			text: formText(data, 'text'),
			key: formText(data, 'key')
		} as MapOtherTextInput;
		try {
			const mapped = await mapOtherTextToKey({ actor, input }, { db: getApp().database.db });
			return { mapped: { ...mapped, text: input.text } };
		} catch (err) {
			return failForm(err, input);
		}
	}
};
