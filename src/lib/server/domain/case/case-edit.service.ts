/** Editing the case file itself (staff only); the household is in case-household.service.ts. */
import type { Actor } from '../../auth/actor.ts';
import { casesTable, type Case, type CaseNeeds } from '../../db/schema/index.ts';
import { ValidationError, parseInput } from '../../validation.ts';
import { createLogger } from '../../logger.ts';
import { auditAuthorOf, recordCaseChange } from '../audit/audit.service.ts';
import { recordConsentChanges } from '../privacy/consent.service.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { findCasePersons, findProgrammePipeline, updateCase as updateCaseRow } from './case.repository.ts';
import { checkStageFields, resolvePipeline } from './case.rules.ts';
import { updateCaseSchema, type UpdateCaseInput } from './case.schemas.ts';
import { type Deps, givenKeys, compactNeeds, loadVisibleCase, assertCanEdit } from './case.shared.ts';

const log = createLogger({ namespace: 'case:service' });

/**
 * Edits the case file (staff only): source, wished area, timeline, needs, intake answers,
 * consents (their date moves when they change), installation, business, departure and
 * abandon details. The stage-dependent fields must fit the current stage (checkStageFields).
 * One transaction with its audit entry.
 */
export async function updateCase(
	{ actor, caseId, input }: { actor: Actor; caseId: string; input: UpdateCaseInput },
	{ db, now = new Date() }: Deps
): Promise<{ case: Case }> {
	const given = givenKeys(input);
	return db.transaction(async (tx) => {
		const { kase, access } = await loadVisibleCase({ actor, caseId, forUpdate: true }, { db: tx });
		// The right first: a committee member is told they may not edit, whatever they typed.
		assertCanEdit(actor, access);
		const data = parseInput(updateCaseSchema, input);
		const values: Partial<typeof casesTable.$inferInsert> = { updatedAt: now, updatedBy: actor.userId };
		const nullable = [
			'wishedArea',
			'timeline',
			'wouldMoveWithoutProgramme',
			'howHeard',
			'installedCommuneCode',
			'installedOn',
			'businessSiret',
			'businessCreatedOn',
			'businessClosedOn',
			'leftOn',
			'leftReason',
			'abandonedReason'
		] as const;
		for (const key of nullable) {
			if (given.has(key)) (values as Record<string, unknown>)[key] = data[key] ?? null;
		}
		if (given.has('source') && data.source) values.source = data.source;
		if (given.has('needs') && data.needs) values.needs = compactNeeds(data.needs) as CaseNeeds;
		const consentKeys = {
			consentContact: 'contact',
			consentShareWithCommittees: 'shareWithCommittees',
			consentShareWithPartners: 'shareWithPartners',
			consentResearch: 'research'
		} as const;
		if (Object.keys(consentKeys).some((key) => given.has(key))) {
			const consents = { ...kase.consents };
			for (const [key, field] of Object.entries(consentKeys) as [keyof typeof consentKeys, string][]) {
				if (given.has(key)) (consents as Record<string, unknown>)[field] = data[key] === true;
			}
			const changed = (['contact', 'shareWithCommittees', 'shareWithPartners', 'research'] as const).some(
				(field) => consents[field] !== kase.consents[field]
			);
			if (changed) values.consents = { ...consents, at: now.toISOString() };
		}
		const pipeline = resolvePipeline(await findProgrammePipeline({ db: tx, programmeId: actor.programmeId }));
		const pick = <K extends keyof typeof values & keyof Case>(key: K) =>
			(key in values ? values[key] : kase[key]) as string | null;
		const issues = checkStageFields(pipeline, kase.stage, {
			installedCommuneCode: pick('installedCommuneCode'),
			installedOn: pick('installedOn'),
			leftOn: pick('leftOn'),
			leftReason: pick('leftReason'),
			abandonedReason: pick('abandonedReason'),
			businessCreatedOn: pick('businessCreatedOn'),
			businessClosedOn: pick('businessClosedOn')
		});
		if (
			values.installedCommuneCode &&
			values.installedCommuneCode !== kase.installedCommuneCode &&
			!(await findCommuneByCode({ db: tx, code: values.installedCommuneCode }))
		) {
			issues.push({ field: 'installedCommuneCode', code: 'case.unknown_commune' });
		}
		if (issues.length) throw new ValidationError(issues);
		const updated = await updateCaseRow({ db: tx, caseId: kase.id, values });
		if (values.consents) {
			const candidate = (await findCasePersons({ db: tx, caseId: kase.id })).find(
				(person) => person.householdRole === 'candidate'
			);
			if (candidate) {
				await recordConsentChanges(
					{
						programmeId: kase.programmeId,
						personId: candidate.id,
						before: kase.consents,
						after: values.consents,
						source: 'advisor',
						recordedBy: actor.userId,
						at: now
					},
					{ db: tx }
				);
			}
		}
		await recordCaseChange(
			{ kase, action: 'update', author: auditAuthorOf(actor), at: now, before: kase, after: updated },
			{ db: tx }
		);
		log.info({ caseId: kase.id, userId: actor.userId }, 'Case updated');
		return { case: updated };
	});
}
