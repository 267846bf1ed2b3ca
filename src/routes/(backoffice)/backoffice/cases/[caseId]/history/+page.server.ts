import { getApp } from '#server/app.ts';
import { auditFieldChanges } from '#server/domain/audit/audit.rules.ts';
import { listCaseAudit } from '#server/domain/audit/audit.service.ts';
import { getCaseOptions } from '#server/domain/case/case.service.ts';
import { requireActor } from '#server/http/actor.ts';
import { throwHttpError } from '#server/http/errors.ts';
import type { PageServerLoad } from './$types';

/** The history of changes of a case (admins): who, when, each field before → after. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	const actor = requireActor({ locals, url });
	const db = getApp().database.db;
	try {
		const audit = await listCaseAudit({ actor, caseId: params.caseId }, { db });
		const options = await getCaseOptions({ actor }, { db });
		return {
			case: audit.case,
			persons: audit.persons,
			entries: audit.entries.map((entry) => ({
				id: entry.id,
				entityType: entry.entityType,
				entityId: entry.entityId,
				action: entry.action,
				actorLabel: entry.actorLabel,
				at: entry.at,
				lines: auditFieldChanges(entry)
			})),
			names: Object.fromEntries([
				...options.advisors.map((advisor) => [advisor.id, advisor.name] as const),
				...options.villages.map((village) => [village.slug, village.name] as const)
			])
		};
	} catch (err) {
		throwHttpError(err);
	}
};
