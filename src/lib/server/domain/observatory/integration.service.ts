import type { Db } from '../../db/index.ts';
import { DEFAULT_WAVE_MONTHS } from '../follow-up/follow-up.rules.ts';
import { computeIntegration, type Integration } from './integration.rules.ts';
import { findSurveyRecords, findWaveMonths } from './integration.repository.ts';
import type { ObservatoryContext } from './observatory.context.ts';

/**
 * Integration and local development of the selected households: per follow-up wave, response
 * rate and answers; the attribution question at intake and at 12 months; businesses still active.
 */
export async function computeIntegrationSection(
	context: ObservatoryContext,
	{ db }: { db: Db }
): Promise<Integration> {
	const programmeId = context.programme.id;
	const [records, waveMonths] = await Promise.all([
		findSurveyRecords({ db, programmeId }),
		findWaveMonths({ db, programmeId })
	]);
	return computeIntegration({
		cases: context.cases,
		records,
		waveMonths: waveMonths ?? DEFAULT_WAVE_MONTHS,
		period: context.period,
		now: context.now
	});
}
