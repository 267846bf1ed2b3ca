import { parseConfig, type Config } from './config.ts';
import { seedDemo, type DemoSeedResult } from './db/seed/demo.ts';
import { createLogger } from './logger.ts';
import { openDatabase, type OpenDatabase } from './runtime.ts';

const log = createLogger({ namespace: 'app' });

export type AppState = {
	config: Config;
	database: OpenDatabase;
	/** What start-up did, for the banner printed by `npm start`. */
	startup: { seed: DemoSeedResult | null };
	stop: () => Promise<void>;
};

let current: AppState | undefined;
let starting: Promise<AppState> | undefined;

/**
 * Starts the server side of soho once: config, database (migrated), demo seed when
 * asked and the database is empty, background workers.
 */
export function startApp(env: Record<string, string | undefined> = process.env): Promise<AppState> {
	starting ??= (async () => {
		const config = parseConfig(env);
		const database = await openDatabase(config, { owner: 'server' });
		log.info({ database: database.kind }, 'Database ready');
		let seed: DemoSeedResult | null = null;
		if (config.seedDemo) {
			seed = await seedDemo(
				{ log: (line) => process.stdout.write(`  ${line}\n`) },
				{ db: database.db, config }
			);
			log.info({ status: seed.status }, 'Demo seed');
		}
		const stoppers: Array<() => Promise<void> | void> = [];
		const state: AppState = {
			config,
			database,
			startup: { seed },
			stop: async () => {
				for (const stop of stoppers.reverse()) await stop();
				await database.close();
				current = undefined;
				starting = undefined;
			}
		};
		current = state;
		(globalThis as Record<symbol, unknown>)[Symbol.for('soho.app')] = state;
		return state;
	})();
	return starting;
}

/** The running app; throws if start-up has not completed. */
export function getApp(): AppState {
	if (!current) throw new Error('soho is not started');
	return current;
}

export async function stopApp(): Promise<void> {
	if (current) await current.stop();
}
