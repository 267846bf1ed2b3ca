import { getApp } from '#server/app.ts';
import { filtersFromSearchParams } from '#server/domain/observatory/observatory.schemas.ts';
import { exportResearchExtract } from '#server/domain/observatory/research-extract.service.ts';
import type { RequestHandler } from './$types';
import { requireObservatoryViewer } from '../../observatory.server.ts';
import { backToExports, download } from '../exports.server.ts';

/** The pseudonymised research extract (admins): `?k=5&format=csv|xlsx` with the page's filters. */
export const GET: RequestHandler = async (event) => {
	const viewer = requireObservatoryViewer(event);
	const params = event.url.searchParams;
	try {
		const file = await exportResearchExtract(
			{
				viewer,
				input: { k: params.get('k') ?? undefined, format: params.get('format') ?? undefined },
				filters: filtersFromSearchParams(params),
				locale: event.locals.locale
			},
			{ db: getApp().database.readDb }
		);
		event.locals.logger.info(
			{ programmeId: viewer.programmeId, k: file.report.k, kept: file.report.kept },
			'research extract downloaded'
		);
		return download(file);
	} catch (err) {
		backToExports(event, err, { research: '1' });
	}
};
