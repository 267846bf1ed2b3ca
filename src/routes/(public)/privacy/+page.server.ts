import { getApp } from '#server/app.ts';
import type { PageServerLoad } from './$types';

/** The privacy notice names the host the map tiles come from (it receives the visitor's IP address). */
export const load: PageServerLoad = () => {
	const { tileUrl } = getApp().config;
	return { tileHost: tileUrl ? (/^https?:\/\/([^/]+)/.exec(tileUrl)?.[1] ?? null) : null };
};
