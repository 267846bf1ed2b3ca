import { prepareTestDbTemplates } from './db.test-utils.ts';

/** Vitest's global setup of the unit and integration projects: the migrated test database templates. */
export default async function setup(): Promise<void> {
	await prepareTestDbTemplates();
}
