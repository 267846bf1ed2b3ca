import { json } from '@sveltejs/kit';

/** Liveness: the process answers. Never touches the database. */
export const GET = () =>
	json(
		{ status: 'ok', uptimeSeconds: Math.round(process.uptime()) },
		{ headers: { 'cache-control': 'no-store' } }
	);
