import { type RequestEvent } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { requireActor } from '#server/http/actor.ts';
import { completeTask } from '#server/domain/case/case-tasks.service.ts';
import { moveCaseToStage } from '#server/domain/case/case-pipeline.service.ts';
import { failForm, formText, formValues } from '#server/http/errors.ts';
import { ValidationError } from '#server/validation.ts';
import { seeOther } from '#server/http/redirects.ts';

/** Form actions shared by the case pages: the board, the case page, the stage form and "my day". */

/** Where to go back after a move made elsewhere: only our own pages. */
export function safeReturn(value: string | null, fallback: string): string {
	return value && /^\/backoffice\/(cases|my-day)(\/|\?|$)/.test(value) ? value : fallback;
}

/**
 * Moves a case. From the board (`quick`), a move that needs details (commune and date of
 * installation, a reason, a departure date) goes to the stage form, and nothing is written.
 */
export async function moveAction(event: RequestEvent, { quick = false }: { quick?: boolean } = {}) {
	const actor = requireActor(event);
	const data = await event.request.formData();
	const values = formValues(data);
	const caseId = event.params.caseId ?? formText(data, 'caseId');
	const stage = formText(data, 'stage');
	try {
		await moveCaseToStage(
			{
				actor,
				caseId,
				stage,
				reason: quick ? undefined : formText(data, 'reason'),
				installedCommuneCode: quick ? undefined : formText(data, 'installedCommuneCode'),
				installedOn: quick ? undefined : formText(data, 'installedOn'),
				leftOn: quick ? undefined : formText(data, 'leftOn')
			},
			{ db: getApp().database.db }
		);
	} catch (err) {
		if (quick && err instanceof ValidationError && stage) {
			const back = safeReturn(formText(data, 'return'), '/backoffice/cases/board');
			seeOther(`/backoffice/cases/${encodeURIComponent(caseId)}/stage`, { to: stage, return: back });
		}
		return failForm(err, { ...values, intent: 'move' });
	}
	return { intent: 'move' as const, moved: { caseId, stage } };
}

export async function completeTaskAction(event: RequestEvent) {
	const actor = requireActor(event);
	const data = await event.request.formData();
	const values = formValues(data);
	try {
		const { task } = await completeTask(
			{ actor, taskId: formText(data, 'taskId') },
			{ db: getApp().database.db }
		);
		return { intent: 'done' as const, completed: task.title };
	} catch (err) {
		return failForm(err, { ...values, intent: 'done' });
	}
}
