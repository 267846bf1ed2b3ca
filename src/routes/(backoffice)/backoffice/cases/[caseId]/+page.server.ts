import { fail, redirect } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import {
	addActivity,
	assignAdvisor,
	getCase,
	getCaseOptions,
	getTimeline,
	readingCaseFile
} from '#server/domain/case/case.service.ts';
import { addActivitySchema } from '#server/domain/case/case.schemas.ts';
import { createTask, listCaseTasks } from '#server/domain/case/case-tasks.service.ts';
import { listProposableOffers, setTargetVillages } from '#server/domain/case/case-committee.service.ts';
import { listStageMoves } from '#server/domain/case/case-pipeline.service.ts';
import { resolveMergedCase } from '#server/domain/case/case-merge.service.ts';
import { DomainError } from '#server/errors.ts';
import { listCaseMails, retryCaseMail } from '#server/domain/mail-template/mail-template.service.ts';
import { listReferrals } from '#server/domain/referral/referral.service.ts';
import { listCaseConsents } from '#server/domain/privacy/consent.service.ts';
import { getCaseCommunity } from '#server/domain/ambassador/ambassador.service.ts';
import { getCaseFollowUp } from '#server/domain/follow-up/follow-up.service.ts';
import { listCommunes } from '#server/domain/territory/territory.service.ts';
import {
	getNeeds,
	getSuggestions,
	proposeVillage,
	saveNeeds
} from '#server/domain/matching/matching.service.ts';
import { needsInputFromForm } from '#server/domain/matching/matching.schemas.ts';
import { requireActor } from '#server/http/actor.ts';
import {
	failForm,
	failInvalid,
	formText,
	formValues,
	issuesByField,
	STATUS,
	throwHttpError
} from '#server/http/errors.ts';
import { ValidationError } from '#server/validation.ts';
import { parseForm } from '#server/http/forms.ts';
import { fromLocalInput } from '$lib/domain/datetime.ts';
import { completeTaskAction, moveAction } from '../actions.server.ts';
import { seeOther } from '#server/http/redirects.ts';
import { listCaseStays } from '#server/domain/discovery-stay/discovery-stay.service.ts';
import {
	candidateMessageAction,
	documentRequestAction,
	loadCaseCandidateSpace
} from '../candidate-space.server.ts';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	const caseId = params.caseId;
	try {
		// One page, many services, one case: each loads the case once for all (readingCaseFile),
		// and they run at once where the database takes several queries at a time.
		return await readingCaseFile(async () => {
			// The case first, alone: a case the actor may not see answers case.not_found (404), never
			// whichever other service happens to fail first.
			const details = await getCase({ actor, caseId }, { db });
			const [options, timeline, { offers }] = await Promise.all([
				getCaseOptions({ actor }, { db }),
				getTimeline({ actor, caseId }, { db }),
				listProposableOffers({ actor, caseId }, { db })
			]);
			// Newest first: what happened last is what the advisor needs first.
			const activities = [...timeline.activities].reverse();
			if (details.access === 'committee') {
				return { details, options, activities, authors: timeline.authors, offers, staff: null };
			}
			const [
				{ moves },
				{ tasks, assignees },
				{ communes },
				{ referrals },
				{ messages: mails },
				community,
				followUp,
				{ consents },
				candidateSpace,
				{ needs },
				suggestions,
				{ stays }
			] = await Promise.all([
				listStageMoves({ actor, caseId }, { db }),
				listCaseTasks({ actor, caseId }, { db }),
				listCommunes({ departements: options.departements, limit: 2000 }, { db }),
				listReferrals({ actor, caseId, limit: 200 }, { db }),
				listCaseMails({ actor, caseId }, { db }),
				getCaseCommunity({ actor, caseId }, { db }),
				getCaseFollowUp({ actor, caseId }, { db }),
				listCaseConsents({ actor, caseId }, { db }),
				loadCaseCandidateSpace(actor, caseId),
				getNeeds({ actor, caseId }, { db }),
				getSuggestions({ actor, caseId }, { db }),
				listCaseStays({ actor, caseId }, { db })
			]);
			return {
				details,
				options,
				activities,
				authors: timeline.authors,
				offers,
				isAdmin: actor.role === 'admin',
				staff: {
					moves,
					tasks,
					assignees,
					communes: communes.map((commune) => ({ code: commune.code, name: commune.name })),
					actorId: actor.userId,
					referrals,
					community,
					mails,
					followUp,
					stays,
					candidateSpace,
					matching: { needs, suggestions },
					consents: consents.map((consent) => ({
						id: consent.id,
						personId: consent.personId,
						purpose: consent.purpose,
						textVersion: consent.textVersion,
						givenAt: consent.givenAt,
						withdrawnAt: consent.withdrawnAt,
						source: consent.source
					}))
				}
			};
		});
	} catch (err) {
		// A case absorbed by a merge leads to the case it was merged into.
		if (err instanceof DomainError && err.code === 'case.not_found') {
			const merged = await resolveMergedCase({ actor, key: params.caseId }, { db });
			if (merged) redirect(301, `/backoffice/cases/${merged.caseId}`);
		}
		throwHttpError(err);
	}
};

export const actions: Actions = {
	saveNeeds: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const input = needsInputFromForm(await request.formData());
		try {
			await saveNeeds({ actor, caseId: params.caseId, input }, { db: getApp().database.db });
		} catch (err) {
			if (err instanceof ValidationError)
				return fail(STATUS.invalid, { intent: 'saveNeeds', input, issues: issuesByField(err.issues) });
			return failForm(err, { intent: 'saveNeeds' });
		}
		return { intent: 'saveNeeds' as const, isSaved: true };
	},
	proposeVillage: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const villageId = formText(await request.formData(), 'villageId');
		const app = getApp();
		let notified: number;
		try {
			({ notified } = await proposeVillage(
				{ actor, caseId: params.caseId, villageId },
				{ db: app.database.db, config: app.config }
			));
		} catch (err) {
			return failForm(err, { intent: 'proposeVillage', villageId });
		}
		void app.mailer.kick();
		return { intent: 'proposeVillage' as const, notified };
	},
	villages: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const villages = data.getAll('villages').filter((value): value is string => typeof value === 'string');
		const app = getApp();
		try {
			await setTargetVillages(
				{ actor, caseId: params.caseId, villages },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, { intent: 'villages', villages: villages.join(',') });
		}
		void app.mailer.kick();
		return { intent: 'villages' as const, isTargeted: true };
	},
	retryMail: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			await retryCaseMail(
				{ actor, caseId: params.caseId, messageId: formText(data, 'messageId') },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, { intent: 'retryMail' });
		}
		void app.mailer.kick();
		return { intent: 'retryMail' as const, isRetried: true };
	},
	candidateMessage: (event) => candidateMessageAction(event),
	documentRequest: (event) => documentRequestAction(event),
	// Post/redirect/get: the address stays the case's (no `?/move` to post again on reload).
	move: async (event) => {
		const result = await moveAction(event);
		if ('moved' in result) seeOther(`/backoffice/cases/${event.params.caseId}`, { moved: '1' });
		return result;
	},
	done: (event) => completeTaskAction(event),
	assign: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await assignAdvisor(
				{ actor, caseId: params.caseId, advisorId: formText(data, 'advisorId') || null },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), intent: 'assign' });
		}
		return { intent: 'assign' as const, isAssigned: true };
	},
	activity: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values: Record<string, string> = { ...formValues(data), intent: 'activity' };
		const form = parseForm(data, addActivitySchema, {
			occurredAt: fromLocalInput(formText(data, 'occurredAt')),
			visibility: formText(data, 'shareWithCommittee') === 'on' ? 'committee' : 'staff'
		});
		if (!form.ok) return failInvalid(values, form.issues);
		try {
			await addActivity({ actor, caseId: params.caseId, ...form.data }, { db: getApp().database.db });
		} catch (err) {
			return failForm(err, values);
		}
		return { intent: 'activity' as const, isAdded: true };
	},
	task: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const values = formValues(data);
		try {
			await createTask(
				{
					actor,
					input: {
						caseId: params.caseId,
						title: formText(data, 'title'),
						dueOn: formText(data, 'dueOn'),
						assigneeId: formText(data, 'assigneeId') || undefined
					}
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { ...values, intent: 'task' });
		}
		return { intent: 'task' as const, isCreated: true };
	}
};
