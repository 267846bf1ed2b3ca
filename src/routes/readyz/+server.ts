import { json } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { pingDb } from '#server/db/index.ts';

/** Readiness: the database answers a query. 503 otherwise, so a load balancer stops routing here. */
export const GET = async () => {
	let isReady = false;
	let database = 'unknown';
	try {
		const app = getApp();
		database = app.database.kind;
		isReady = await pingDb(app.database.db);
	} catch {
		isReady = false;
	}
	return json(
		{ status: isReady ? 'ready' : 'unavailable', database },
		{ status: isReady ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};
