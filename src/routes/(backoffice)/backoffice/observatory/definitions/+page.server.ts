import {
	OBSERVATORY_INDICATORS,
	OBSERVATORY_SECTIONS
} from '#server/domain/observatory/observatory.definitions.ts';
import type { PageServerLoad } from './$types';
import { requireObservatoryViewer } from '../observatory.server.ts';

/** Every indicator in one sentence, by section; every figure of the observatory links here. */
export const load: PageServerLoad = (event) => {
	requireObservatoryViewer(event);
	return {
		sections: OBSERVATORY_SECTIONS.map((section) => ({
			section,
			indicators: OBSERVATORY_INDICATORS.filter((indicator) => indicator.section === section).map(
				(indicator) => indicator.key
			)
		})).filter((group) => group.indicators.length > 0)
	};
};
