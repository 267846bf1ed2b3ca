import { e2eSkipReason, seededTemplate } from './support.ts';

/**
 * Before any e2e file starts: the seeded demo template that most files copy (no seed settings, this
 * build). Without it, the first two files, started together by the two workers, would each seed the
 * demo (the slowest part of a server's start) and keep one of the two copies.
 */
export default async function seedDemoTemplate(): Promise<void> {
	if (e2eSkipReason()) return;
	await seededTemplate({});
}
