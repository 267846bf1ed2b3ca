import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import { findProgrammeBySlug } from '../domain/programme/programme.repository.ts';
import { createProgramme } from '../domain/programme/programme.service.ts';
import { DEMO_SEED_STEPS } from './demo.steps.ts';
import type { DemoSeedResult } from './demo.types.ts';

/** The synthetic demo programme. Everything it holds is labelled as demo data wherever shown. */
export const DEMO_PROGRAMME = {
	slug: 'gers',
	name: 'Gers',
	departements: ['32'],
	/** Toulouse, the metropole the research compares installations with. */
	metropoleCode: '31555'
} as const;

/** Seeds the demo programme unless it exists. Safe to call on every start. */
export async function seedDemo(
	{ log = () => {} }: { log?: (line: string) => void },
	{ db, config }: { db: Db; config: Config }
): Promise<DemoSeedResult> {
	const existing = await findProgrammeBySlug({ db, slug: DEMO_PROGRAMME.slug });
	if (existing) return { status: 'already_seeded', programme: existing, steps: [] };
	const { programme } = await createProgramme(
		{
			input: {
				...DEMO_PROGRAMME,
				departements: [...DEMO_PROGRAMME.departements],
				isDemo: true,
				isInNationalPortal: true
			}
		},
		{ db }
	);
	const steps: string[] = [];
	for (const step of DEMO_SEED_STEPS) {
		await step.run({ db, config, programme, log });
		steps.push(step.name);
	}
	return { status: 'seeded', programme, steps };
}
