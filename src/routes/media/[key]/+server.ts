import { error } from '@sveltejs/kit';
import { getApp } from '#server/app.ts';
import { isDomainError } from '#server/errors.ts';
import { getMediaFile } from '#server/domain/media/media.service.ts';
import type { RequestHandler } from './$types';

/**
 * Serves an uploaded photo. Keys are content hashes, so a key's bytes never change:
 * browsers and proxies may keep them for a year without asking again.
 */
export const GET: RequestHandler = async ({ params }) => {
	const app = getApp();
	try {
		const { contentType, data } = await getMediaFile(
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
		if (isDomainError(err, 'media.not_found'))
			error(404, { code: 'media.not_found', message: 'No such file' });
		throw err;
	}
};
