import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import {
	checkDepartements,
	getTerritoryStatus,
	initTerritory,
	type InitTerritoryResult,
	type OnProgress,
	type TerritoryProgress
} from '#server/domain/territory/territory.service.ts';
import {
	getInseeAttributesStatus,
	importInseeAttributes,
	parseInseeFiles,
	readInseeFile,
	type ImportInseeAttributesResult
} from '#server/domain/territory/territory-insee.service.ts';
import { translate, type MessageKey } from '../../lib/i18n/index.ts';
import type { CliContext } from '../context.ts';

const PROGRESS_LABELS: Record<TerritoryProgress['step'], MessageKey> = {
	communes: 'territory_progress_communes',
	outlines: 'territory_progress_outlines',
	download: 'territory_progress_download'
};

/**
 * Progress of a long import on stderr: a bar on a terminal, plain lines otherwise
 * (logs, pipes, tests). Call `stop()` in a `finally`.
 */
export function createProgressReporter(context: CliContext): { onProgress: OnProgress; stop: () => void } {
	const label = (step: TerritoryProgress['step']) => translate(context.locale, PROGRESS_LABELS[step]);
	if (!process.stderr.isTTY) {
		return {
			onProgress: ({ step, done, total }) => context.info(`${label(step)}: ${done}/${total}`),
			stop: () => {}
		};
	}
	let bar: cliProgress.SingleBar | undefined;
	let current: TerritoryProgress['step'] | undefined;
	const stop = () => {
		bar?.stop();
		bar = undefined;
	};
	return {
		onProgress: ({ step, done, total }) => {
			if (step !== current || !bar) {
				stop();
				current = step;
				bar = new cliProgress.SingleBar(
					{ format: `${label(step)} [{bar}] {value}/{total}`, stream: process.stderr, hideCursor: true },
					cliProgress.Presets.shades_classic
				);
				bar.start(total, done);
			} else bar.update(done);
		},
		stop
	};
}

function describeInit(result: InitTerritoryResult, context: CliContext): string {
	const t = (key: MessageKey, params?: Record<string, string | number>) =>
		translate(context.locale, key, params);
	const departements = result.departements.map((d) => `${d.code} ${d.name}`).join(', ');
	const lines: string[] = [];
	if (result.isUnchanged) {
		lines.push(
			t('territory_init_unchanged', {
				departements,
				communes: result.communes.unchanged,
				epcis: result.epcis.unchanged,
				former: result.formerCommunes.unchanged
			})
		);
	} else {
		lines.push(t('territory_init_done', { departements }));
		lines.push('  ' + t('territory_init_counts', { label: 'Communes', ...result.communes }));
		lines.push('  ' + t('territory_init_counts', { label: 'EPCI', ...result.epcis }));
		const { removed, ...former } = result.formerCommunes;
		lines.push('  ' + t('territory_init_counts', { label: t('territory_former_communes'), ...former }));
		if (removed > 0) lines.push('  ' + t('territory_init_former_removed', { count: removed }));
	}
	if (result.programme) {
		lines.push(
			result.programme.addedDepartements.length
				? t('territory_init_programme_added', {
						slug: result.programme.slug,
						departements: result.programme.addedDepartements.join(', ')
					})
				: t('territory_init_programme_unchanged', { slug: result.programme.slug })
		);
	}
	return lines.join('\n');
}

export function registerTerritoryCommands(program: Command, context: CliContext): Command {
	const territory = program
		.command('territory')
		.description('territory reference data: communes, EPCI, former communes');

	territory
		.command('init')
		.description('import the communes and EPCI of départements from the official geographic code (offline)')
		.requiredOption('-d, --departement <codes...>', 'département codes: 32, "32 31" or 32,31')
		.option('-p, --programme <slug>', "also add the départements to this programme's territory")
		.action(async (options: { departement: string[]; programme?: string }, command: Command) => {
			// Fail on a mistyped code before opening the database.
			checkDepartements({ departements: options.departement });
			await context.withDb(async (database) => {
				const progress = createProgressReporter(context);
				let result: InitTerritoryResult;
				try {
					result = await initTerritory(
						{ departements: options.departement, programme: options.programme },
						{ db: database.db, onProgress: progress.onProgress }
					);
				} finally {
					progress.stop();
				}
				context.output(command, result, () => describeInit(result, context));
			});
		});

	territory
		.command('status')
		.description('communes imported per département, and how many have an outline')
		.action(async (_options, command: Command) => {
			await context.withDb(async (database) => {
				const status = await getTerritoryStatus({}, { db: database.db });
				const insee = await getInseeAttributesStatus({}, { db: database.db });
				const result = { ...status, insee };
				context.output(command, result, () =>
					result.departements.length
						? [
								...result.departements.map((d) => translate(context.locale, 'territory_status_line', d)),
								translate(context.locale, 'territory_status_insee', insee)
							].join('\n')
						: translate(context.locale, 'territory_status_empty')
				);
			});
		});

	territory
		.command('import-insee')
		.description(
			"import INSEE attributes of the imported communes: aire d'attraction des villes 2020, canton, bureau centralisateur"
		)
		.requiredOption(
			'--communes <file>',
			"INSEE table d'appartenance géographique des communes (CSV or XLSX: CODGEO, CV, AAV2020, CATEAAV2020)"
		)
		.option(
			'--cantons <file>',
			'COG cantons file (canton code and bureau centralisateur: CAN/BURCENTRAL or code/capital_code)'
		)
		.action(async (options: { communes: string; cantons?: string }, command: Command) => {
			// Read and check the files before opening the database: a wrong file fails at once.
			const communes = readInseeFile(options.communes);
			const cantons = options.cantons ? readInseeFile(options.cantons) : null;
			await parseInseeFiles({ communes, cantons });
			await context.withDb(async (database) => {
				const result = await importInseeAttributes({ communes, cantons }, { db: database.db });
				context.output(command, result, () => describeInseeImport(result, context));
			});
		});

	return territory;
}

function describeInseeImport(result: ImportInseeAttributesResult, context: CliContext): string {
	const t = (key: MessageKey, params?: Record<string, string | number>) =>
		translate(context.locale, key, params);
	const lines = [
		t('territory_insee_summary', {
			source: result.source,
			matched: result.matched,
			updated: result.updated,
			unchanged: result.unchanged,
			rows: result.rows
		}),
		'  ' +
			t('territory_insee_categories', {
				centres: result.aavCategories['11'],
				poles: result.aavCategories['12'],
				secondary: result.aavCategories['13'],
				crown: result.aavCategories['20'],
				outside: result.aavCategories['30'],
				none: result.aavCategories.none
			})
	];
	if (result.mappedFromFormer.length) {
		lines.push(
			'  ' +
				t('territory_insee_former', {
					count: result.mappedFromFormer.length,
					codes: result.mappedFromFormer.map((m) => `${m.code} → ${m.into}`).join(', ')
				})
		);
	}
	lines.push(
		'  ' + t('territory_insee_unknown', { count: result.unknown + result.skipped + result.superseded })
	);
	if (result.cantonSeats !== null) {
		lines.push(
			'  ' + t('territory_insee_seats', { count: result.cantonSeats, source: result.cantonsSource ?? '' })
		);
	}
	if (result.missing.length) {
		lines.push(
			'  ' +
				t('territory_insee_missing', {
					count: result.missing.length,
					codes: result.missing.slice(0, 20).join(', ')
				})
		);
	}
	return lines.join('\n');
}
