import { basename } from 'node:path';
import type { Command } from 'commander';
import { getProgrammeBySlug } from '#server/domain/programme/programme.service.ts';
import {
	checkDepartements,
	fetchCommuneGeometry,
	importCommuneGeometry,
	parseCommuneOutlines,
	type ImportCommuneGeometryResult
} from '#server/domain/territory/territory.service.ts';
import { readJsonFile } from '#server/geo/geojson.ts';
import { translate, type MessageKey } from '../../lib/i18n/index.ts';
import type { CliContext } from '../context.ts';
import { createProgressReporter } from './territory.ts';

function describeImport(result: ImportCommuneGeometryResult, context: CliContext): string {
	const t = (key: MessageKey, params?: Record<string, string | number>) =>
		translate(context.locale, key, params);
	const lines = [
		t('territory_geo_summary', {
			matched: result.matched,
			source: result.source,
			updated: result.updated,
			alreadyCurrent: result.alreadyCurrent,
			features: result.features
		})
	];
	if (result.merged.length) {
		lines.push(t('territory_geo_merged_title', { count: result.merged.length }));
		for (const merged of result.merged) {
			lines.push('  ' + t('territory_geo_merged_line', { ...merged, name: merged.name ?? '' }));
		}
	}
	lines.push(
		t('territory_geo_unmatched', {
			count: result.unmatched.length,
			codes: result.unmatched.map((u) => (u.name ? `${u.code} ${u.name}` : u.code)).join(', ')
		})
	);
	lines.push(t('territory_geo_missing', { count: result.stillWithoutOutline }));
	return lines.join('\n');
}

export function registerGeoCommands(program: Command, context: CliContext): Command {
	const geo = program.command('geo').description('commune outlines (polygons and centroids)');

	geo
		.command('import')
		.description('attach commune outlines from a GeoJSON file (france-geojson, IGN ADMIN EXPRESS)')
		.argument('<file>', 'GeoJSON FeatureCollection with an INSEE code property (code or INSEE_COM)')
		.action(async (file: string, _options, command: Command) => {
			// Check the file before opening the database: a bad file fails at once.
			const geojson = readJsonFile(file);
			parseCommuneOutlines({ geojson, source: basename(file) });
			await context.withDb(async (database) => {
				const progress = createProgressReporter(context);
				let result: ImportCommuneGeometryResult;
				try {
					result = await importCommuneGeometry(
						{ geojson, source: basename(file) },
						{ db: database.db, onProgress: progress.onProgress }
					);
				} finally {
					progress.stop();
				}
				context.output(command, result, () => describeImport(result, context));
			});
		});

	geo
		.command('fetch')
		.description('download commune outlines from geo.api.gouv.fr (default: every imported département)')
		.option('-d, --departement <codes...>', 'département codes: 32, "32 31" or 32,31')
		.option('-p, --programme <slug>', "the départements of this programme's territory")
		.action(async (options: { departement?: string[]; programme?: string }, command: Command) => {
			if (options.departement) checkDepartements({ departements: options.departement });
			await context.withDb(async (database) => {
				const db = database.db;
				const departements =
					options.departement ??
					(options.programme
						? (await getProgrammeBySlug({ slug: options.programme }, { db })).programme.departements
						: undefined);
				const progress = createProgressReporter(context);
				let result: Awaited<ReturnType<typeof fetchCommuneGeometry>>;
				try {
					result = await fetchCommuneGeometry(
						{ departements },
						{ db, config: context.config(), fetch: globalThis.fetch, onProgress: progress.onProgress }
					);
				} finally {
					progress.stop();
				}
				context.output(command, result, () =>
					[
						translate(context.locale, 'territory_geo_fetched', {
							departements: result.departements.join(', ')
						}),
						describeImport(result, context)
					].join('\n')
				);
			});
		});

	return geo;
}
