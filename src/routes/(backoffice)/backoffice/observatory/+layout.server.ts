import { getApp } from '#server/app.ts';
import { getObservatoryFilterOptions } from '#server/domain/observatory/observatory.service.ts';
import { filtersFromSearchParams } from '#server/domain/observatory/observatory.schemas.ts';
import type { LayoutServerLoad } from './$types';
import { requireObservatoryViewer } from './observatory.server.ts';

export const load: LayoutServerLoad = async (event) => {
	const viewer = requireObservatoryViewer(event);
	const options = await getObservatoryFilterOptions({ viewer }, { db: getApp().database.readDb });
	return {
		observatory: {
			options,
			filters: filtersFromSearchParams(event.url.searchParams) as Record<string, string | number | undefined>,
			viewerKind: viewer.kind,
			isAdmin: viewer.isAdmin
		}
	};
};
