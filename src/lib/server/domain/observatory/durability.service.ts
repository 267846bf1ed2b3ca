import type { Db } from '../../db/index.ts';
import { computeDurability, type Durability } from './durability.rules.ts';
import { findPendingDepartureCaseIds } from './integration.repository.ts';
import type { ObservatoryContext } from './observatory.context.ts';

/**
 * Kaplan–Meier curves of the selected households: still living in the territory since
 * installation, business still active since creation; by cohort and by status, with log-rank tests.
 */
export async function computeDurabilitySection(
	context: ObservatoryContext,
	{ db }: { db: Db }
): Promise<Durability> {
	const pending = await findPendingDepartureCaseIds({ db, programmeId: context.programme.id });
	return computeDurability({
		cases: context.cases,
		period: context.period,
		now: context.now,
		pendingDepartures: new Set(pending)
	});
}
