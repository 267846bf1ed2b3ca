import type { Actor } from '../../auth/actor.ts';
import type { Db } from '../../db/index.ts';
import type { ImpactAssumptionValues } from '../../db/schema/index.ts';
import { createLogger } from '../../logger.ts';
import { parseInput, ValidationError, type FieldIssue } from '../../validation.ts';
import { impactForbidden } from './impact.errors.ts';
import { findImpactAssumptions, upsertImpactAssumptions } from './impact.repository.ts';
import {
	changedAssumptions,
	computeImpact,
	DEFAULT_IMPACT_ASSUMPTIONS,
	IMPACT_ASSUMPTION_KEYS,
	type ImpactAssumptionKey,
	type ImpactResult
} from './impact.rules.ts';
import { impactAssumptionsSchema, type ImpactAssumptionsInput } from './impact.schemas.ts';
import { observatoryViewerOf, type ObservatoryContext } from './observatory.context.ts';
import type { ObservatoryViewer } from './observatory.types.ts';

const log = createLogger({ namespace: 'observatory:impact' });

/** The assumptions a reader sees: the programme's own or the defaults, and who changed them last. */
export type ImpactAssumptionsView = {
	values: ImpactAssumptionValues;
	/** True while the programme uses the illustrative defaults. */
	isDefault: boolean;
	/** Assumptions that differ from the defaults (their source is the admin's). */
	changed: ImpactAssumptionKey[];
	updatedAt: string | null;
	updatedByName: string | null;
};

async function loadAssumptions(db: Db, programmeId: string): Promise<ImpactAssumptionsView> {
	const row = await findImpactAssumptions({ db, programmeId });
	if (!row)
		return {
			values: DEFAULT_IMPACT_ASSUMPTIONS,
			isDefault: true,
			changed: [],
			updatedAt: null,
			updatedByName: null
		};
	return {
		values: row.values,
		isDefault: false,
		changed: changedAssumptions(row.values),
		updatedAt: row.updatedAt.toISOString(),
		updatedByName: row.updatedByName ?? null
	};
}

/** The programme's assumptions, for every reader of the observatory (staff, committee, funders). */
export async function getImpactAssumptions(
	{ viewer }: { viewer: ObservatoryViewer },
	{ db }: { db: Db }
): Promise<ImpactAssumptionsView> {
	return loadAssumptions(db, viewer.programmeId);
}

/**
 * Saves the programme's assumptions (admins only). Every changed assumption needs its source: an
 * empty source keeps the default's text, which says the default is illustrative — not true of a
 * figure the admin typed. Written in a transaction; the row keeps who saved it and when.
 */
export async function saveImpactAssumptions(
	{ actor, input }: { actor: Actor; input: ImpactAssumptionsInput },
	{ db, now = new Date() }: { db: Db; now?: Date }
): Promise<ImpactAssumptionsView> {
	const viewer = observatoryViewerOf(actor);
	if (!viewer.isAdmin) throw impactForbidden({ userId: actor.userId, role: actor.role });
	const parsed = parseInput(impactAssumptionsSchema, input);
	const sources: Partial<Record<ImpactAssumptionKey, string>> = {};
	for (const key of IMPACT_ASSUMPTION_KEYS) {
		const text = parsed.sources[key];
		if (text) sources[key] = text;
	}
	const values: ImpactAssumptionValues = {
		incomeBands: parsed.incomeBands,
		localSpendingPercent: parsed.localSpendingPercent,
		localMultiplier: parsed.localMultiplier,
		jobsPerBusiness: parsed.jobsPerBusiness,
		jobsPerHousehold: parsed.jobsPerHousehold,
		sources
	};
	const issues: FieldIssue[] = changedAssumptions(values)
		.filter((key) => !sources[key])
		.map((key) => ({ field: `sources.${key}`, code: 'observatory_impact.source_required' }));
	if (issues.length) throw new ValidationError(issues);
	await db.transaction(async (tx) => {
		await upsertImpactAssumptions({
			db: tx,
			programmeId: viewer.programmeId,
			values,
			updatedBy: actor.userId,
			updatedAt: now
		});
	});
	log.info({ programmeId: viewer.programmeId, userId: actor.userId }, 'Impact assumptions saved');
	return loadAssumptions(db, viewer.programmeId);
}

export type ImpactSection = {
	assumptions: ImpactAssumptionsView;
	result: ImpactResult;
};

/**
 * The impact section: the programme's assumptions and the result per cohort for the filtered
 * households. Readers other than staff do not get the name of the admin who last saved them.
 */
export async function computeImpactSection(
	context: ObservatoryContext,
	{ db }: { db: Db }
): Promise<ImpactSection> {
	const loaded = await loadAssumptions(db, context.programme.id);
	// Committee members and funders see the figures, not who on the staff typed them.
	const assumptions = context.viewer.kind === 'staff' ? loaded : { ...loaded, updatedByName: null };
	return {
		assumptions,
		result: computeImpact({
			cases: context.cases,
			period: context.period,
			now: context.now,
			assumptions: assumptions.values
		})
	};
}
