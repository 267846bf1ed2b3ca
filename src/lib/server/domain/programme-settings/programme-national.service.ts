import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput } from '../../validation.ts';
import { recordSettingsChange } from '../audit/audit.service.ts';
import { findProgrammeById, updateProgrammeRow } from '../programme/programme.repository.ts';
import { programmeNotFound } from '../programme/programme.errors.ts';
import { getProgrammeBySlug } from '../programme/programme.service.ts';
import { settingsForbidden } from './programme-settings.errors.ts';
import { nationalOptInSchema, type NationalOptInInput } from './programme-settings.schemas.ts';

/*
 * The programme's part in the national portal (domain/national/): whether its published
 * villages, workspaces, offers and events are searched on `/france` and whether candidates may
 * apply to it from there. Admins change it on the settings page; the operator with
 * `soho programme set SLUG national on|off`. Every change is audited (section `national`).
 */

const log = createLogger({ namespace: 'programme-settings:national' });

type Deps = { db: Db };

function assertStaff(actor: Actor): void {
	if (actor.role !== 'admin' && actor.role !== 'advisor') throw settingsForbidden({ userId: actor.userId });
}

/** Whether the actor's programme takes part in the national portal (admins and advisors). */
export async function getNationalPortalSettings(
	{ actor }: { actor: Actor },
	{ db }: Deps
): Promise<{ isInNationalPortal: boolean }> {
	assertStaff(actor);
	const programme = await findProgrammeById({ db, programmeId: actor.programmeId });
	if (!programme) throw programmeNotFound({ programmeId: actor.programmeId });
	return { isInNationalPortal: programme.isInNationalPortal };
}

async function setOptIn(
	db: Db,
	programmeId: string,
	actor: Actor | null,
	input: NationalOptInInput
): Promise<{ isInNationalPortal: boolean }> {
	const { isInNationalPortal } = parseInput(nationalOptInSchema, input);
	return db.transaction(async (tx) => {
		const programme = await findProgrammeById({ db: tx, programmeId });
		if (!programme) throw programmeNotFound({ programmeId });
		if (programme.isInNationalPortal === isInNationalPortal) return { isInNationalPortal };
		await updateProgrammeRow({ db: tx, programmeId, changes: { isInNationalPortal } });
		await recordSettingsChange(
			{
				programmeId,
				actor,
				section: 'national',
				before: { isInNationalPortal: programme.isInNationalPortal },
				after: { isInNationalPortal }
			},
			{ db: tx }
		);
		log.info(
			{ programmeId, userId: actor?.userId ?? null, isInNationalPortal },
			'National portal opt-in changed'
		);
		return { isInNationalPortal };
	});
}

/** Opts the admin's programme in or out of the national portal (audited). */
export async function updateNationalPortalOptIn(
	{ actor, input }: { actor: Actor; input: NationalOptInInput },
	{ db }: Deps
): Promise<{ isInNationalPortal: boolean }> {
	if (actor.role !== 'admin') throw settingsForbidden({ userId: actor.userId });
	return setOptIn(db, actor.programmeId, actor, input);
}

/** The same from the operator's shell (`soho programme set SLUG national on|off`). */
export async function setNationalPortalOptInBySlug(
	{ slug, input }: { slug: string; input: NationalOptInInput },
	{ db }: Deps
): Promise<{ isInNationalPortal: boolean }> {
	const { programme } = await getProgrammeBySlug({ slug }, { db });
	return setOptIn(db, programme.id, null, input);
}
