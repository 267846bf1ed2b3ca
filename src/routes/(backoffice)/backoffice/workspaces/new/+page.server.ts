import { getApp } from '#server/app.ts';
import { createWorkspace } from '#server/domain/workspace/workspace.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { formValues } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';
import { communeChoicesOf, failFormOf } from '../../villages/listing-forms.server.ts';
import { workspaceChoices, workspaceInput } from '../workspace-form.server.ts';

export const load: PageServerLoad = async (event) => {
	const actor = requireActor(event);
	return { choices: await workspaceChoices(actor, { db: getApp().database.db }) };
};

export const actions: Actions = {
	create: async (event) => {
		const actor = requireActor(event);
		const data = await event.request.formData();
		const values = formValues(data);
		let workspaceId: string;
		try {
			const { workspace } = await createWorkspace(
				{
					actor,
					input: {
						programmeId: actor.programmeId,
						...workspaceInput(data, actor, await communeChoicesOf(actor))
					}
				},
				{ db: getApp().database.db }
			);
			workspaceId = workspace.id;
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		seeOther(`/backoffice/workspaces/${workspaceId}`, { created: '1' });
	}
};
