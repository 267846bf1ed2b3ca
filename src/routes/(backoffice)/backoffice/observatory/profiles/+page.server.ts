import type { PageServerLoad } from './$types';
import { loadObservatorySection } from '../observatory.server.ts';

/** Who the households are: status, sector, socio-professional group, age, origin, household. */
export const load: PageServerLoad = (event) => loadObservatorySection(event, 'profiles');
