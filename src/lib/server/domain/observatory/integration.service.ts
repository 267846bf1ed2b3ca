import type { Db } from '../../db/index.ts';
import { ATTRIBUTION, ATTRIBUTION_WAVE, DEFAULT_WAVE_MONTHS } from '../follow-up/follow-up.rules.ts';
import { computeIntegration, YES_NO_UNSURE, type Integration } from './integration.rules.ts';
import { findAttributionAnswers, findSurveyTallies, findWaveMonths } from './integration.repository.ts';
import type { ObservatoryContext } from './observatory.context.ts';

/**
 * Integration and local development of the selected households: per follow-up wave, response
 * rate and answers; the attribution question at intake and at 12 months; businesses still active.
 * The survey answers are counted in SQL; only the attribution answers at 12 months come back
 * per household (to pair them with the answer at intake).
 */
export async function computeIntegrationSection(
	context: ObservatoryContext,
	{ db }: { db: Db }
): Promise<Integration> {
	const programmeId = context.programme.id;
	const { period, now } = context;
	// No list of households when no filter selects them: every household of the programme counts.
	const caseIds = context.isFiltered ? context.cases.map((kase) => kase.id) : null;
	const [tallies, attributionAnswers, waveMonths] = await Promise.all([
		findSurveyTallies({ db, programmeId, period, caseIds, now }),
		findAttributionAnswers({
			db,
			programmeId,
			period,
			caseIds,
			waveMonths: ATTRIBUTION_WAVE,
			key: ATTRIBUTION,
			allowed: YES_NO_UNSURE
		}),
		findWaveMonths({ db, programmeId })
	]);
	return computeIntegration({
		cases: context.cases,
		tallies,
		attributionAnswers,
		waveMonths: waveMonths ?? DEFAULT_WAVE_MONTHS,
		period,
		now
	});
}
