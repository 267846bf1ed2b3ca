import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Programme } from '../../db/schema/index.ts';
import { programmeForbidden, programmeNotFound } from './programme.errors.ts';
import { findProgrammeById } from './programme.repository.ts';
import {
	countTeamAccounts,
	countTerritoryOutlines,
	hasPartnerVillage
} from './programme-checklist.repository.ts';
import { isHomePageWritten, isLegalNoticeFilled } from '../programme-settings/programme-settings.service.ts';

/** What a check reads: the database and the programme. */
export type ChecklistContext = { db: Db; programme: Programme };

/**
 * One step of a new programme's first-steps checklist: `href` is the page that does it,
 * `isDone` decides from the data (never from a box ticked by hand), so an item stays on
 * the admin dashboard until the work is really done. Messages: `setup_checklist_<id>_title`
 * and `setup_checklist_<id>_text`.
 */
export type ChecklistCheck = {
	id: string;
	href: string;
	isDone: (context: ChecklistContext) => Promise<boolean>;
};

/** The registry: add a check here (and its two messages) to add a step. */
export const PROGRAMME_CHECKLIST: readonly ChecklistCheck[] = [
	{
		id: 'outlines',
		href: '/backoffice/territory',
		isDone: async ({ db, programme }) => {
			const { communes, withoutOutline } = await countTerritoryOutlines({
				db,
				departements: programme.departements
			});
			return communes > 0 && withoutOutline === 0;
		}
	},
	{
		id: 'villages',
		href: '/backoffice/villages',
		isDone: ({ db, programme }) => hasPartnerVillage({ db, programmeId: programme.id })
	},
	{
		id: 'team',
		href: '/backoffice/people',
		// The admin who set the programme up is one account: another one means the team is invited.
		isDone: async ({ db, programme }) => (await countTeamAccounts({ db, programmeId: programme.id })) > 1
	},
	{
		id: 'home_page',
		href: '/backoffice/settings',
		isDone: ({ db, programme }) => isHomePageWritten({ programmeId: programme.id }, { db })
	},
	{
		id: 'legal_notice',
		href: '/backoffice/settings',
		isDone: ({ db, programme }) => isLegalNoticeFilled({ programmeId: programme.id }, { db })
	}
];

export type ChecklistItem = { id: string; href: string; isDone: boolean };

/** The checklist of the admin's programme, each step computed now. Admins only. */
export async function getProgrammeChecklist(
	{ actor }: { actor: Actor },
	{ db, checks = PROGRAMME_CHECKLIST }: { db: Db; checks?: readonly ChecklistCheck[] }
): Promise<{ items: ChecklistItem[]; isComplete: boolean }> {
	if (actor.role !== 'admin') throw programmeForbidden();
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw programmeNotFound({ programmeId: actor.programmeId });
	const items: ChecklistItem[] = [];
	for (const check of checks) {
		items.push({ id: check.id, href: check.href, isDone: await check.isDone({ db, programme }) });
	}
	return { items, isComplete: items.every((item) => item.isDone) };
}
