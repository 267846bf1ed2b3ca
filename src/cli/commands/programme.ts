import type { Command } from 'commander';
import type { Programme, ProgrammeHost } from '#server/db/schema/index.ts';
import {
	addProgrammeHostBySlug,
	listProgrammeHostsBySlug,
	removeProgrammeHostBySlug,
	setPrimaryProgrammeHostBySlug
} from '#server/domain/programme/programme-host.service.ts';
import {
	createProgrammeWithTerritory,
	describeProgramme,
	updateProgramme,
	type ProgrammeOverview
} from '#server/domain/programme/programme-territory.service.ts';
import type { UpdateProgrammeInput } from '#server/domain/programme/programme.schemas.ts';
import { checkProgrammeGeography, listProgrammes } from '#server/domain/programme/programme.service.ts';
import { resumeProgramme, suspendProgramme } from '#server/domain/programme/programme-instance.service.ts';
import { setMinCellSizeBySlug } from '#server/domain/programme-settings/programme-settings.service.ts';
import {
	getComparisonSettingsBySlug,
	setComparisonOptInBySlug,
	setProgrammeBudgetBySlug
} from '#server/domain/programme-settings/programme-comparison.service.ts';
import { setNationalPortalOptInBySlug } from '#server/domain/programme-settings/programme-national.service.ts';
import { ValidationError } from '#server/validation.ts';
import { translate, type Locale, type MessageKey } from '../../lib/i18n/index.ts';
import { CliFailure, EXIT, type CliContext } from '../context.ts';
import { createProgressReporter } from './territory.ts';

/** The keys of `soho programme set SLUG KEY VALUE`, and the field each one changes. */
export const PROGRAMME_SET_KEYS = {
	name: (value: string) => ({ name: value }),
	'short-name': (value: string) => ({ shortName: value }),
	'contact-email': (value: string) => ({ contactEmail: value }),
	metropole: (value: string) => ({ metropoleCode: value }),
	'metropole-position': (value: string) => ({ metropolePosition: value }),
	languages: (value: string) => ({ languages: splitList(value).map((l) => l.toLowerCase()) }),
	departement: (value: string) => ({ addDepartement: value })
} satisfies Record<string, (value: string) => UpdateProgrammeInput>;
type SetKey = keyof typeof PROGRAMME_SET_KEYS;
/** Keys of `soho programme set` stored in the programme's settings rather than in `programmes`. */
const SETTINGS_SET_KEYS = ['min-cell-size', 'comparison', 'national'] as const;
/** Keys of `soho programme set` that change the programme's hosts (`soho programme host` does more). */
const HOST_SET_KEYS = ['host', 'primary-host'] as const;

/** The option or key that sets each field, so that an error names what the person typed. */
const FIELD_NAMES: Record<string, string> = {
	slug: '--slug',
	name: '--name',
	shortName: '--short-name',
	contactEmail: '--contact-email',
	departements: '--departement',
	metropoleCode: '--metropole',
	languages: '--language',
	metropolePosition: 'metropole-position',
	addDepartement: 'departement',
	minCellSize: 'min-cell-size',
	host: 'host',
	isInComparison: 'comparison',
	isInNationalPortal: 'national',
	year: '--year',
	amount: '--amount',
	note: '--note'
};

/** Runs a use case; field errors come back named as on the command line (`--metropole`, not `metropoleCode`). */
async function withCliFieldNames<T>(work: () => Promise<T>): Promise<T> {
	try {
		return await work();
	} catch (error) {
		if (!(error instanceof ValidationError)) throw error;
		throw new ValidationError(
			error.issues.map((issue) => ({
				...issue,
				field: FIELD_NAMES[issue.field.split('.')[0]] ?? issue.field
			}))
		);
	}
}

/** `32,31`, `"32 31"` or repeated options → ['32', '31']. */
function splitList(value: string | string[]): string[] {
	return (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(/[\s,;]+/)).filter(Boolean);
}

/** What the CLI prints and returns as JSON for a programme. */
function programmeData(programme: Programme) {
	return {
		id: programme.id,
		slug: programme.slug,
		name: programme.name,
		shortName: programme.shortName,
		contactEmail: programme.contactEmail,
		departements: programme.departements,
		metropoleCode: programme.metropoleCode,
		metropolePosition:
			programme.metropoleLat !== null && programme.metropoleLon !== null
				? { lat: programme.metropoleLat, lon: programme.metropoleLon }
				: null,
		languages: programme.languages,
		isDemo: programme.isDemo,
		status: programme.status,
		suspensionReason: programme.suspensionReason,
		createdAt: programme.createdAt
	};
}

/** What the CLI prints and returns as JSON for a programme's hosts. */
function hostsData(slug: string, hosts: ProgrammeHost[]) {
	return { slug, hosts: hosts.map((h) => ({ host: h.host, isPrimary: h.isPrimary })) };
}

function describeHosts(slug: string, hosts: ProgrammeHost[], locale: Locale): string {
	if (hosts.length === 0) return translate(locale, 'programme_cli_hosts_none', { slug });
	return [
		translate(locale, 'programme_cli_hosts_title', { slug }),
		...hosts.map(
			(h) => `  ${h.host}${h.isPrimary ? ` (${translate(locale, 'programme_cli_hosts_primary')})` : ''}`
		)
	].join('\n');
}

function describeOverview(overview: ProgrammeOverview, locale: Locale): string {
	const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
	const p = overview.programme;
	const none = t('setup_cli_none');
	const lines = [
		`${p.name} (${p.slug})${p.isDemo ? ' ' + t('setup_cli_demo') : ''}`,
		`  ${t('setup_cli_field_short_name')}: ${p.shortName ?? none}`,
		`  ${t('setup_cli_field_contact_email')}: ${p.contactEmail ?? none}`,
		`  ${t('setup_cli_field_languages')}: ${p.languages.join(', ')}`,
		`  ${t('setup_cli_field_metropole')}: ${
			overview.metropole
				? `${overview.metropole.name ?? '?'} (${overview.metropole.code})` +
					(p.metropoleLat !== null && p.metropoleLon !== null
						? ` — ${p.metropoleLat}, ${p.metropoleLon}`
						: '')
				: none
		}`,
		`  ${t('setup_cli_field_territory')}:`,
		...overview.departements.map(
			(d) => '    ' + t('setup_cli_departement_line', { ...d, code: d.code, name: d.name })
		)
	];
	if (overview.missing.length) {
		lines.push(`  ${t('setup_cli_missing')}:`);
		for (const item of overview.missing) {
			lines.push(
				'    - ' + t(`setup_cli_missing_${item.key}`, { slug: p.slug, departement: item.departement ?? '' })
			);
		}
	}
	return lines.join('\n');
}

export function registerProgrammeCommands(program: Command, context: CliContext): Command {
	const t = (key: MessageKey, params?: Record<string, string | number>) =>
		translate(context.locale, key, params);
	const programme = program
		.command('programme')
		.description('programmes (the tenants): create one, list them, show and change one');

	programme
		.command('create')
		.description('create a programme and import its territory from the official geographic code (offline)')
		.requiredOption('--slug <slug>', 'identifier in URLs and commands, e.g. gers')
		.requiredOption('--name <name>', 'name, e.g. "SOHO Solo Gers"')
		.requiredOption('-d, --departement <codes...>', 'département codes of the territory: 32, or 32 31')
		.requiredOption('--metropole <code>', 'INSEE code of the reference metropole for distances, e.g. 31555')
		.option('--short-name <name>', 'short name for tight places')
		.option('--language <codes...>', 'languages of the site: fr, en (default: both)')
		.option('--contact-email <email>', 'public contact address of the team')
		.action(
			async (
				options: {
					slug: string;
					name: string;
					departement: string[];
					metropole: string;
					shortName?: string;
					language?: string[];
					contactEmail?: string;
				},
				command: Command
			) => {
				const input = {
					slug: options.slug,
					name: options.name,
					departements: splitList(options.departement).map((code) => code.toUpperCase()),
					metropoleCode: options.metropole,
					shortName: options.shortName,
					contactEmail: options.contactEmail,
					languages: options.language ? splitList(options.language).map((l) => l.toLowerCase()) : undefined
				};
				// A mistyped département or metropole fails before the database is opened.
				checkProgrammeGeography({ departements: input.departements, metropoleCode: input.metropoleCode });
				await withCliFieldNames(() =>
					context.withDb(async ({ db }) => {
						const progress = createProgressReporter(context);
						let result: Awaited<ReturnType<typeof createProgrammeWithTerritory>>;
						try {
							result = await createProgrammeWithTerritory({ input }, { db, onProgress: progress.onProgress });
						} finally {
							progress.stop();
						}
						const { programme: created, territory, reference } = result;
						const outlined = reference.outlines.reduce((sum, r) => sum + r.matched, 0);
						context.output(command, { programme: programmeData(created), territory, reference }, () =>
							[
								t('setup_cli_created', {
									name: created.name,
									slug: created.slug,
									departements: territory.departements.map((d) => `${d.code} ${d.name}`).join(', '),
									communes:
										territory.communes.created + territory.communes.updated + territory.communes.unchanged
								}),
								...(reference.departements.length > 0
									? [
											t('setup_cli_reference_imported', {
												departements: reference.departements.join(', '),
												communes: outlined
											})
										]
									: []),
								t('setup_cli_next_title'),
								'  ' + t('setup_cli_next_admin', { slug: created.slug }),
								...(reference.departements.length === created.departements.length
									? []
									: ['  ' + t('setup_cli_next_outlines', { slug: created.slug })])
							].join('\n')
						);
					})
				);
			}
		);

	programme
		.command('list')
		.description('list the programmes of this instance')
		.action(async (_options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const { programmes } = await listProgrammes({}, { db });
				context.output(command, programmes.map(programmeData), () =>
					programmes.length
						? programmes
								.map(
									(p) =>
										`${p.slug.padEnd(16)} ${p.name}  [${p.departements.join(', ')}]${p.isDemo ? ' ' + t('setup_cli_demo') : ''}`
								)
								.join('\n')
						: t('setup_cli_list_empty')
				);
			});
		});

	programme
		.command('suspend')
		.description(
			'suspend a programme: nobody of it can act, its site answers 503, its jobs skip it; nothing is deleted'
		)
		.argument('<slug>', 'the programme')
		.requiredOption('--reason <text>', 'why (kept in the programme and its audit)')
		.action(async (slug: string, options: { reason: string }, command: Command) => {
			await context.withDb(async ({ db }) => {
				const { programme: suspended } = await suspendProgramme(
					{ by: 'operator', input: { programme: slug, reason: options.reason } },
					{ db }
				);
				context.output(command, programmeData(suspended), () =>
					translate(context.locale, 'programme_cli_suspended', { slug: suspended.slug })
				);
			});
		});

	programme
		.command('resume')
		.description('resume a suspended programme: everyone of it acts again')
		.argument('<slug>', 'the programme')
		.action(async (slug: string, _options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const { programme: resumed } = await resumeProgramme(
					{ by: 'operator', input: { programme: slug } },
					{ db }
				);
				context.output(command, programmeData(resumed), () =>
					translate(context.locale, 'programme_cli_resumed', { slug: resumed.slug })
				);
			});
		});

	programme
		.command('show')
		.description('show a programme, its territory and what it still lacks')
		.argument('<slug>', 'the programme')
		.action(async (slug: string, _options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const overview = await describeProgramme({ slug }, { db });
				context.output(command, { ...overview, programme: programmeData(overview.programme) }, () =>
					describeOverview(overview, context.locale)
				);
			});
		});

	programme
		.command('set')
		.description(
			`change a programme: KEY is one of ${[...Object.keys(PROGRAMME_SET_KEYS), ...SETTINGS_SET_KEYS, ...HOST_SET_KEYS].join(', ')} (departement adds one; metropole-position is "LAT,LON"; min-cell-size is the observatory's k, 1–50; host adds a host name the public site answers on, primary-host adds one and makes it the one of absolute links; comparison is on or off: the programme takes part in the observatory's comparison of programmes; national is on or off: the programme takes part in the national portal)`
		)
		.argument('<slug>', 'the programme')
		.argument('<key>', 'what to change')
		.argument('<value>', 'the new value ("" clears short-name and contact-email)')
		.action(async (slug: string, key: string, value: string, _options, command: Command) => {
			if (key === 'host' || key === 'primary-host') {
				await context.withDb(async ({ db }) => {
					const { hosts } = await withCliFieldNames(() =>
						addProgrammeHostBySlug(
							{ slug, input: { host: value, isPrimary: key === 'primary-host' } },
							{ db }
						)
					);
					context.output(command, hostsData(slug, hosts), () => describeHosts(slug, hosts, context.locale));
				});
				return;
			}
			if (key === 'min-cell-size') {
				await context.withDb(async ({ db }) => {
					const { minCellSize } = await withCliFieldNames(() =>
						setMinCellSizeBySlug({ slug, input: { minCellSize: value } }, { db })
					);
					context.output(command, { slug, minCellSize }, () => t('setup_cli_updated', { slug, key }));
				});
				return;
			}
			if (key === 'comparison') {
				await context.withDb(async ({ db }) => {
					const result = await withCliFieldNames(() =>
						setComparisonOptInBySlug({ slug, input: { isInComparison: value } }, { db })
					);
					context.output(command, { slug, ...result }, () => t('setup_cli_updated', { slug, key }));
				});
				return;
			}
			if (key === 'national') {
				await context.withDb(async ({ db }) => {
					const result = await withCliFieldNames(() =>
						setNationalPortalOptInBySlug({ slug, input: { isInNationalPortal: value } }, { db })
					);
					context.output(command, { slug, ...result }, () => t('setup_cli_updated', { slug, key }));
				});
				return;
			}
			if (!(key in PROGRAMME_SET_KEYS)) {
				throw new CliFailure(
					t('setup_cli_unknown_key', { key, keys: Object.keys(PROGRAMME_SET_KEYS).join(', ') }),
					EXIT.usage
				);
			}
			const input = PROGRAMME_SET_KEYS[key as SetKey](value);
			await context.withDb(async ({ db }) => {
				const { programme: updated, territory } = await withCliFieldNames(() =>
					updateProgramme({ slug, input }, { db })
				);
				context.output(command, { programme: programmeData(updated), territory }, () =>
					[
						t('setup_cli_updated', { slug: updated.slug, key }),
						...(territory
							? [
									t('setup_cli_departement_added', {
										departements: territory.departements.map((d) => `${d.code} ${d.name}`).join(', '),
										communes:
											territory.communes.created + territory.communes.updated + territory.communes.unchanged
									})
								]
							: [])
					].join('\n')
				);
			});
		});

	const host = programme
		.command('host')
		.description(
			"the host names a programme's public site answers on (gers.example.org); the primary one writes its absolute links"
		);
	host
		.command('list')
		.argument('<slug>', 'the programme')
		.description("list a programme's hosts, the primary one first")
		.action(async (slug: string, _options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const { hosts } = await listProgrammeHostsBySlug({ slug }, { db });
				context.output(command, hostsData(slug, hosts), () => describeHosts(slug, hosts, context.locale));
			});
		});
	host
		.command('add')
		.argument('<slug>', 'the programme')
		.argument('<host>', 'a host name, without scheme or port: gers.example.org')
		.option('--primary', "make it the programme's primary host (the first host added is)")
		.description('give a programme a host name (refused when another programme holds it)')
		.action(async (slug: string, name: string, options: { primary?: boolean }, command: Command) => {
			await context.withDb(async ({ db }) => {
				const { hosts } = await withCliFieldNames(() =>
					addProgrammeHostBySlug({ slug, input: { host: name, isPrimary: options.primary ?? false } }, { db })
				);
				context.output(command, hostsData(slug, hosts), () => describeHosts(slug, hosts, context.locale));
			});
		});
	host
		.command('remove')
		.argument('<slug>', 'the programme')
		.argument('<host>', 'one of its host names')
		.description('take a host name from a programme (the site then shows the default programme there)')
		.action(async (slug: string, name: string, _options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const { hosts } = await withCliFieldNames(() =>
					removeProgrammeHostBySlug({ slug, input: { host: name } }, { db })
				);
				context.output(command, hostsData(slug, hosts), () => describeHosts(slug, hosts, context.locale));
			});
		});
	host
		.command('primary')
		.argument('<slug>', 'the programme')
		.argument('<host>', 'one of its host names')
		.description("make a host the programme's primary one (mails, sitemap, canonical URLs, calendars)")
		.action(async (slug: string, name: string, _options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const { hosts } = await withCliFieldNames(() =>
					setPrimaryProgrammeHostBySlug({ slug, input: { host: name } }, { db })
				);
				context.output(command, hostsData(slug, hosts), () => describeHosts(slug, hosts, context.locale));
			});
		});

	const budget = programme
		.command('budget')
		.description("a programme's yearly budgets (the observatory's comparison: cost per installation)");

	budget
		.command('set')
		.description("set the budget of one year, in euros (replaces the year's budget if there is one)")
		.argument('<slug>', 'the programme')
		.requiredOption('--year <year>', 'the calendar year, e.g. 2025')
		.requiredOption('--amount <euros>', 'the amount in euros, e.g. 250000 or 250000.50')
		.option('--note <text>', 'what the budget covers')
		.action(
			async (slug: string, options: { year: string; amount: string; note?: string }, command: Command) => {
				await context.withDb(async ({ db }) => {
					const { budget: saved } = await withCliFieldNames(() =>
						setProgrammeBudgetBySlug(
							{ slug, input: { year: options.year, amount: options.amount, note: options.note } },
							{ db }
						)
					);
					context.output(command, { slug, ...saved, amount: saved.amountCents / 100 }, () =>
						t('setup_cli_budget_set', {
							slug,
							year: saved.year,
							amount: (saved.amountCents / 100).toFixed(2)
						})
					);
				});
			}
		);

	budget
		.command('list')
		.description("list a programme's yearly budgets and whether it takes part in the comparison")
		.argument('<slug>', 'the programme')
		.action(async (slug: string, _options, command: Command) => {
			await context.withDb(async ({ db }) => {
				const settings = await getComparisonSettingsBySlug({ slug }, { db });
				const budgets = settings.budgets.map((b) => ({ ...b, amount: b.amountCents / 100 }));
				context.output(command, { slug, ...settings, budgets }, () =>
					[
						t(settings.isInComparison ? 'setup_cli_comparison_on' : 'setup_cli_comparison_off', { slug }),
						...(budgets.length
							? budgets.map(
									(b) => `  ${b.year}  ${b.amount.toFixed(2).padStart(14)} €${b.note ? `  ${b.note}` : ''}`
								)
							: ['  ' + t('setup_cli_budget_none')])
					].join('\n')
				);
			});
		});

	return programme;
}
