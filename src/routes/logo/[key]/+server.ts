import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { isDomainError } from '#server/errors.ts';
import { getProgrammeLogo } from '#server/domain/programme-settings/programme-settings.service.ts';
import type { RequestHandler } from './$types';

/** Serves a programme's logo. Keys are content hashes: a key's bytes never change. */
export const GET: RequestHandler = async ({ params }) => {
	const app = getApp();
	try {
		const { contentType, data } = await getProgrammeLogo(
			{ key: params.key },
			{ db: app.database.db, storage: app.storage }
		);
		return new Response(new Uint8Array(data), {
			headers: {
				'content-type': contentType,
				'content-length': String(data.byteLength),
				'cache-control': 'public, max-age=31536000, immutable',
				'x-content-type-options': 'nosniff'
			}
		});
	} catch (err) {
		if (isDomainError(err, 'programme_settings.logo_not_found'))
			error(404, { code: 'programme_settings.logo_not_found', message: 'No such logo' });
		throw err;
	}
};
