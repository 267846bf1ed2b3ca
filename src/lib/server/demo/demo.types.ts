import type { Config } from '../config.ts';
import type { Db } from '../db/index.ts';
import type { Programme } from '../db/schema/index.ts';

/*
 * What a demo seed step receives and returns. Each area's `<area>.seed.ts` imports only this file;
 * the orchestrator (demo.ts, demo.steps.ts) imports the areas, never the reverse.
 */

export type DemoSeedContext = {
	db: Db;
	config: Config;
	programme: Programme;
	/** Human progress line (printed by `npm start` and `soho db seed`). */
	log: (line: string) => void;
};

/**
 * One step of the demo seed. Each capability adds its own step to DEMO_SEED_STEPS
 * (villages, offers, cases, events...), in the order the data depends on.
 */
export type DemoSeedStep = {
	name: string;
	run: (context: DemoSeedContext) => Promise<void>;
};

export type DemoSeedResult = { status: 'seeded' | 'already_seeded'; programme: Programme; steps: string[] };
