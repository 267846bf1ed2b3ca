import { computeDurability, type Durability } from './durability.rules.ts';
import type { ObservatoryContext } from './observatory.service.ts';

/**
 * Kaplan–Meier curves of the selected households: still living in the territory since
 * installation, business still active since creation; by cohort and by status, with log-rank tests.
 */
export async function computeDurabilitySection(context: ObservatoryContext): Promise<Durability> {
	return computeDurability({ cases: context.cases, period: context.period, now: context.now });
}
