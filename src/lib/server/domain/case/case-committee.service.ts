/**
 * Committees and the villages a case targets: setting the target villages, mailing the
 * committees of newly targeted villages, and the offers a visit or meeting may propose.
 */
import { programmeLink } from '../programme/programme-host.service.ts';
import * as v from 'valibot';
import { translate, type Locale } from '../../../i18n/index.ts';
import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { Case, Person } from '../../db/schema/index.ts';
import { toFieldIssues, ValidationError } from '../../validation.ts';
import { createLogger } from '../../logger.ts';
import { auditAuthorOf, recordCaseChange } from '../audit/audit.service.ts';
import { queueMail } from '../mail/mail.service.ts';
import { findProposableOffers } from '../offer/offer.repository.ts';
import { deleteTargetVillages, findCommitteeRecipients } from './case-committee.repository.ts';
import { buildCommitteeNotificationMail } from './case.mails.ts';
import {
	findCasePersons,
	findCaseTargetVillages,
	insertActivity,
	insertTargetVillages,
	updateCase as updateCaseRow,
	findProgrammeName,
	type TargetVillage
} from './case.repository.ts';
import { targetVillagesSchema } from './case.schemas.ts';
import {
	type Deps,
	type MailConfig,
	loadVisibleCase,
	assertCanEdit,
	committeeVillages,
	resolveVillages
} from './case.shared.ts';

const log = createLogger({ namespace: 'case:service' });

/**
 * Tells the committees of villages a case newly targets: one mail per member of each
 * partner village (in their language, French by default), with the household's details
 * only when it agreed to share with committees, and a staff timeline entry per village.
 * Runs in the caller's transaction: nothing leaves unless the case is committed.
 */
export async function notifyCommittees(
	{
		kase,
		persons,
		villageIds,
		programmeName,
		actorId,
		locale,
		now
	}: {
		kase: Case;
		persons: Person[];
		villageIds: string[];
		programmeName: string;
		actorId: string | null;
		locale: Locale;
		now: Date;
	},
	{ db, config }: { db: Db; config: MailConfig }
): Promise<{ notified: number }> {
	const recipients = await findCommitteeRecipients({ db, programmeId: kase.programmeId, villageIds });
	// Without a public origin (a caller that sends no link), the mail has no link to the case.
	const hasOrigin = Boolean(config.origin ?? config.port);
	const year = now.getUTCFullYear();
	const byVillage = new Map<string, typeof recipients>();
	for (const recipient of recipients) {
		byVillage.set(recipient.villageId, [...(byVillage.get(recipient.villageId) ?? []), recipient]);
	}
	for (const [villageId, members] of byVillage) {
		for (const member of members) {
			const mail = buildCommitteeNotificationMail({
				locale: member.locale ?? 'fr',
				memberName: member.name,
				villageName: member.villageName,
				programmeName,
				kase,
				persons,
				year,
				caseUrl: hasOrigin
					? await programmeLink(
							{ programmeId: kase.programmeId, path: `/backoffice/cases/${kase.id}` },
							{ db, config: { origin: config.origin, port: config.port ?? 0 } }
						)
					: null
			});
			await queueMail(
				{
					programmeId: kase.programmeId,
					caseId: kase.id,
					kind: 'case.committee_notified',
					to: member.email,
					...mail
				},
				{ db, config }
			);
		}
		await insertActivity({
			db,
			values: {
				programmeId: kase.programmeId,
				caseId: kase.id,
				kind: 'note',
				occurredAt: now,
				authorId: actorId,
				summary: translate(locale, 'caseedit_activity_committee_notified', {
					village: members[0].villageName,
					count: members.length
				}),
				data: {
					messageKey: 'caseedit_activity_committee_notified',
					villageId,
					recipients: members.length,
					sharedDetails: kase.consents.shareWithCommittees
				}
			}
		});
	}
	if (recipients.length) log.info({ caseId: kase.id, recipients: recipients.length }, 'Committees notified');
	return { notified: recipients.length };
}

/**
 * Sets the partner villages a case targets (ids or slugs; staff only). The committees of
 * villages it newly targets are notified; villages already targeted are not told again.
 */
export async function setTargetVillages(
	{ actor, caseId, villages: keys }: { actor: Actor; caseId: string; villages: string[] },
	{ db, config = { smtpUrl: undefined }, now = new Date() }: Deps & { config?: MailConfig }
): Promise<{ villages: TargetVillage[]; added: string[]; removed: string[]; notified: number }> {
	const parsed = v.safeParse(targetVillagesSchema, keys);
	if (!parsed.success)
		throw new ValidationError(
			toFieldIssues(parsed.issues).map((i) => ({ ...i, field: `villages${i.field ? `.${i.field}` : ''}` }))
		);
	return db.transaction(async (tx) => {
		const {
			kase,
			access,
			villages: current
		} = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		assertCanEdit(actor, access);
		const { villages: wanted, issues } = await resolveVillages(
			{ programmeId: actor.programmeId, keys: parsed.output },
			{ db: tx }
		);
		if (issues.length) throw new ValidationError(issues);
		const currentIds = current.map((village) => village.id);
		const added = wanted.filter((village) => !currentIds.includes(village.id));
		const removed = current.filter((village) => !wanted.some((w) => w.id === village.id));
		await insertTargetVillages({ db: tx, caseId: kase.id, villageIds: added.map((village) => village.id) });
		await deleteTargetVillages({ db: tx, caseId: kase.id, villageIds: removed.map((village) => village.id) });
		const communes = [
			...new Set([...kase.wishedCommuneCodes, ...added.map((village) => village.communeCode)])
		];
		const updated = await updateCaseRow({
			db: tx,
			caseId: kase.id,
			values: { wishedCommuneCodes: communes, updatedAt: now, updatedBy: actor.userId }
		});
		await recordCaseChange(
			{
				kase,
				action: 'target_villages',
				author: auditAuthorOf(actor),
				at: now,
				before: {
					targetVillages: current.map((village) => village.slug).sort(),
					wishedCommuneCodes: kase.wishedCommuneCodes
				},
				after: {
					targetVillages: wanted.map((village) => village.slug).sort(),
					wishedCommuneCodes: updated.wishedCommuneCodes
				}
			},
			{ db: tx }
		);
		const { notified } = await notifyCommittees(
			{
				kase: updated,
				persons: await findCasePersons({ db: tx, caseId: kase.id }),
				villageIds: added.map((village) => village.id),
				programmeName: await findProgrammeName({ db: tx, programmeId: kase.programmeId }),
				actorId: actor.userId,
				locale: actor.locale,
				now
			},
			{ db: tx, config }
		);
		return {
			villages: await findCaseTargetVillages({ db: tx, caseId: kase.id }),
			added: added.map((village) => village.id),
			removed: removed.map((village) => village.id),
			notified
		};
	});
}

/**
 * The offers a visit or meeting on this case may propose: for a committee member, those
 * their villages own or that stand in their communes; for staff, every offer of the programme.
 */
export async function listProposableOffers(
	{ actor, caseId }: { actor: Actor; caseId: string },
	{ db }: Deps
): Promise<{ offers: { id: string; title: string; villageId: string | null }[] }> {
	const { access } = await loadVisibleCase({ actor, caseId }, { db });
	const villages = access === 'committee' ? await committeeVillages(actor, { db }) : null;
	return { offers: await findProposableOffers({ db, programmeId: actor.programmeId, villages }) };
}
