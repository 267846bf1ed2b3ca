import { getApp } from '#server/app.ts';
import {
	activatePairing,
	endPairing,
	getCaseCommunity,
	pairAmbassador
} from '#server/domain/ambassador/ambassador.service.ts';
import { getCase } from '#server/domain/case/case.service.ts';
import { inviteMember } from '#server/domain/member/member.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { failForm, formText, formValues, throwHttpError } from '#server/http/errors.ts';
import { seeOther } from '#server/http/redirects.ts';
import type { Actions, PageServerLoad } from './$types';

/**
 * Members and ambassadors of one household: invite the candidate as a member, see every
 * suggested ambassador with the reasons of its rank, pair and end pairings. The case page
 * shows a summary whose forms post here; after a success the browser returns to `back`.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	const { case: kase } = await getCase({ actor, caseId: params.caseId }, { db }).catch(throwHttpError);
	const community = await getCaseCommunity({ actor, caseId: params.caseId, limit: 50 }, { db }).catch(
		throwHttpError
	);
	return { case: { id: kase.id, reference: kase.reference }, community };
};

/** Back to the case page, or to this page, after a success (only paths under this case). */
function backTo(caseId: string, data: FormData): string {
	const back = formText(data, 'back');
	return back.startsWith(`/backoffice/cases/${caseId}`) ? back : `/backoffice/cases/${caseId}/community`;
}

export const actions: Actions = {
	invite: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		const app = getApp();
		try {
			await inviteMember(
				{ actor, input: { caseId: params.caseId } },
				{ db: app.database.db, config: app.config }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), form: 'invite' });
		}
		seeOther(backTo(params.caseId, data));
	},
	pair: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await pairAmbassador(
				{
					actor,
					input: {
						caseId: params.caseId,
						ambassadorProfileId: formText(data, 'ambassadorProfileId'),
						note: formText(data, 'note'),
						status: formText(data, 'status') === 'proposed' ? 'proposed' : 'active'
					}
				},
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), form: 'pair' });
		}
		seeOther(backTo(params.caseId, data));
	},
	activate: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await activatePairing(
				{ actor, input: { pairingId: formText(data, 'pairingId') } },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), form: 'activate' });
		}
		seeOther(backTo(params.caseId, data));
	},
	end: async ({ locals, params, request, url }) => {
		const actor = requireActor({ locals, url });
		const data = await request.formData();
		try {
			await endPairing(
				{ actor, input: { pairingId: formText(data, 'pairingId'), note: formText(data, 'note') } },
				{ db: getApp().database.db }
			);
		} catch (err) {
			return failForm(err, { ...formValues(data), form: 'end' });
		}
		seeOther(backTo(params.caseId, data));
	}
};
