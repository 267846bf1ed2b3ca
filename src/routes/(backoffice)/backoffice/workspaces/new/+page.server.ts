import { redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { createWorkspace } from '#server/domain/workspace/workspace.service.ts';
import { formValues } from '#server/http/errors.ts';
import type { Actions, PageServerLoad } from './$types';
import { failFormOf, requireActor } from '../../villages/listing-forms.server.ts';
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
				{ actor, input: { programmeId: actor.programmeId, ...workspaceInput(data, actor) } },
				{ db: getApp().database.db }
			);
			workspaceId = workspace.id;
		} catch (err) {
			return failFormOf('edit', err, values);
		}
		redirect(303, `/backoffice/workspaces/${workspaceId}?created=1`);
	}
};
