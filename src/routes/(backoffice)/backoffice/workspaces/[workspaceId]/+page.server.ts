import { getApp } from '#server/app.ts';
import { renderMarkdown } from '#server/content/markdown.ts';
import { listPhotos } from '#server/domain/media/media.service.ts';
import { findListingPlace } from '#server/domain/territory/territory-places.service.ts';
import { getWorkspace, updateWorkspace } from '#server/domain/workspace/workspace.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues, throwHttpError } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';
import { communeChoicesOf, failFormOf, photoActions } from '../../villages/listing-forms.server.ts';
import { workspaceChoices, workspaceInput, workspaceValues } from '../workspace-form.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	const db = getApp().database.db;
	try {
		const { workspace } = await getWorkspace({ actor, workspaceId: event.params.workspaceId }, { db });
		const { photos } = await listPhotos(
			{ programmeId: workspace.programmeId, ownerKind: 'workspace', ownerId: workspace.id },
			{ db }
		);
		const position =
			workspace.lat !== null && workspace.lon !== null ? { lat: workspace.lat, lon: workspace.lon } : null;
		const { place } = await findListingPlace({ actor, communeCode: workspace.communeCode, position }, { db });
		return {
			workspace: { id: workspace.id, name: workspace.name, slug: workspace.slug },
			values: workspaceValues(workspace),
			previews: {
				descriptionFr: renderMarkdown(workspace.descriptionFr),
				descriptionEn: renderMarkdown(workspace.descriptionEn)
			},
			photos,
			place,
			choices: await workspaceChoices(actor, { db }),
			isCreated: event.url.searchParams.has('created')
		};
	} catch (err) {
		throwHttpError(err);
	}
};

export const actions: Actions = {
	save: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		try {
			await updateWorkspace(
				{
					actor,
					workspaceId: event.params.workspaceId,
					input: workspaceInput(data, actor, await communeChoicesOf(actor))
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		return { form: 'edit', success: 'saved' };
	},
	...photoActions('workspace', 'workspaceId')
};
