import type { DemoSeedStep } from '../../demo/demo.types.ts';
import type { CommitteeRole, VillageServices } from '../../db/schema/index.ts';
import { isDomainError } from '../../errors.ts';
import { findUserByEmail } from '../account/account.repository.ts';
import { findCommuneConnectivity, importConnectivity } from '../connectivity/connectivity.service.ts';
import { DEMO_CONNECTIVITY_SOURCE } from '../connectivity/connectivity.rules.ts';
import { findEpciRecords } from '../territory/territory.repository.ts';
import { getCommune } from '../territory/territory.service.ts';
import { slugify } from './village.rules.ts';
import { addCommitteeMember, createVillage, setProgrammeMetropolePosition } from './village.service.ts';

/**
 * A small seeded pseudo-random generator (mulberry32): the demo is the same on every
 * machine and every run. Not for secrets.
 */
export function createDemoRandom(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		chance: (p: number) => next() < p,
		pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]
	};
}

/** Toulouse's centroid, the demo programme's metropole (département 31 is not imported). */
export const TOULOUSE_POSITION = { lat: 43.6045, lon: 1.4442 } as const;

/** 50 real Gers communes (INSEE codes) that are partner villages in the demo; Auch is the hub, not a village. */
export const DEMO_VILLAGE_CODES = [
	'32433',
	'32410',
	'32106',
	'32160',
	'32208',
	'32233',
	'32249',
	'32132',
	'32119',
	'32462',
	'32256',
	'32107',
	'32213',
	'32147',
	'32242',
	'32252',
	'32344',
	'32296',
	'32001',
	'32319',
	'32290',
	'32459',
	'32370',
	'32253',
	'32162',
	'32426',
	'32076',
	'32412',
	'32269',
	'32436',
	'32096',
	'32027',
	'32127',
	'32404',
	'32285',
	'32032',
	'32286',
	'32268',
	'32012',
	'32083',
	'32204',
	'32416',
	'32036',
	'32345',
	'32133',
	'32446',
	'32464',
	'32061',
	'32117',
	'32149'
] as const;

/** Where the demo committee account sits: Simorre (contact), Samatan and Cologne. */
export const DEMO_COMMITTEE_VILLAGES: { code: string; role: CommitteeRole; isContact: boolean }[] = [
	{ code: '32433', role: 'mayor', isContact: true },
	{ code: '32410', role: 'councillor', isContact: true },
	{ code: '32106', role: 'volunteer', isContact: false }
];
export const DEMO_COMMITTEE_EMAIL = 'committee@demo.soho.example';

const SHOPS_FR = [
	'boulangerie',
	'épicerie',
	'café',
	'boucherie',
	'marché hebdomadaire',
	'restaurant',
	'bureau de poste',
	'supérette'
];

/** Generic services plausible for the commune's size; labelled demo data, not a survey of the real village. */
function demoServices(population: number, random: ReturnType<typeof createDemoRandom>): VillageServices {
	const shops = SHOPS_FR.filter(
		(_, i) => i < Math.min(SHOPS_FR.length, Math.round(population / 400) + 1)
	).filter(() => random.chance(0.8));
	return {
		schools: {
			primary: population > 250 || random.chance(0.5),
			middle: population > 1800,
			high: population > 4000
		},
		health: {
			doctor: population > 700,
			pharmacy: population > 900,
			nursing: population > 350 || random.chance(0.4)
		},
		// From the size alone (no draw): the other demo data stay as they were.
		childcare: { creche: population > 1500, childminders: population > 250 },
		shops,
		bus: population > 1000 || random.chance(0.4)
	};
}

function demoPresentation({
	name,
	population,
	epciName
}: {
	name: string;
	population: number | null;
	epciName: string | null;
}): { fr: string; en: string } {
	const popFr = population
		? `${new Intl.NumberFormat('fr').format(population)} habitants`
		: 'quelques centaines d’habitants';
	const popEn = population
		? `${new Intl.NumberFormat('en').format(population)} inhabitants`
		: 'a few hundred inhabitants';
	const epciFr = epciName ? `, membre de l’intercommunalité ${epciName}` : '';
	const epciEn = epciName ? `, part of the intercommunality ${epciName}` : '';
	return {
		fr: [
			`**${name}** est une commune du Gers de ${popFr}${epciFr}.`,
			'Son comité d’accueil (élus et bénévoles) reçoit les porteurs de projet, fait visiter les logements disponibles et présente les artisans, les commerces et les associations.',
			'_Texte de démonstration : il ne décrit pas la commune réelle._'
		].join('\n\n'),
		en: [
			`**${name}** is a commune of the Gers with ${popEn}${epciEn}.`,
			'Its welcome committee (councillors and volunteers) meets newcomers, shows the homes available and introduces local craftspeople, shops and associations.',
			'_Demo text: it does not describe the real commune._'
		].join('\n\n')
	};
}

/** Synthetic broadband levels, for communes that have none yet, so that filters show something. */
const DEMO_LEVEL_WEIGHTS = [
	['gbit', 3],
	['100', 2],
	['30', 3],
	['8', 2],
	['below_8', 1]
] as const;

/**
 * The villages step of the demo seed: the metropole position, 50 partner villages with
 * templated presentations (FR/EN, labelled demo), generic services, the demo committee
 * account on three of them, and synthetic broadband levels where none is imported.
 */
export const villagesDemoSeedStep: DemoSeedStep = {
	name: 'villages',
	async run({ db, programme, log }) {
		const random = createDemoRandom(3200);
		await setProgrammeMetropolePosition({ programmeId: programme.id, ...TOULOUSE_POSITION }, { db });
		const created: { id: string; code: string; name: string }[] = [];
		for (const [index, code] of DEMO_VILLAGE_CODES.entries()) {
			let commune;
			try {
				commune = (await getCommune({ code }, { db })).commune;
			} catch (error) {
				if (isDomainError(error, 'territory.commune_not_found')) continue;
				throw error;
			}
			const [epci] = commune.epciCode ? await findEpciRecords({ db, codes: [commune.epciCode] }) : [];
			const presentation = demoPresentation({
				name: commune.name,
				population: commune.population,
				epciName: epci?.name ?? null
			});
			const isCommitteeVillage = DEMO_COMMITTEE_VILLAGES.some((v) => v.code === code);
			const { village } = await createVillage(
				{
					input: {
						programmeId: programme.id,
						communeCode: code,
						joinedOn: `${2008 + (index % 10)}-0${1 + (index % 9)}-15`,
						presentationFr: presentation.fr,
						presentationEn: presentation.en,
						services: demoServices(commune.population ?? 300, random),
						committeeContact: isCommitteeVillage
							? null
							: {
									name: `Comité d’accueil de ${commune.name} (démo)`,
									email: `accueil.${slugify(commune.name)}@demo.soho.example`
								},
						isDemo: true
					}
				},
				{ db }
			);
			created.push({ id: village.id, code, name: commune.name });
		}
		if (created.length === 0) {
			log('Partner villages skipped: the communes are not imported (territory step failed?).');
			return;
		}
		const committee = await findUserByEmail({ db, email: DEMO_COMMITTEE_EMAIL });
		const seats: string[] = [];
		for (const seat of DEMO_COMMITTEE_VILLAGES) {
			const village = created.find((v) => v.code === seat.code);
			if (!committee || !village) continue;
			await addCommitteeMember(
				{ villageId: village.id, userId: committee.id, committeeRole: seat.role, isContact: seat.isContact },
				{ db }
			);
			seats.push(village.name);
		}
		const levels: string[] = [];
		for (const { code } of [...created, { code: '32013' }]) {
			const { connectivity } = await findCommuneConnectivity({ communeCode: code }, { db });
			if (connectivity) continue;
			const total = DEMO_LEVEL_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
			let target = random.next() * total;
			const level = DEMO_LEVEL_WEIGHTS.find(([, weight]) => (target -= weight) < 0)?.[0] ?? '30';
			levels.push(`${code};${code === '32013' ? 'gbit' : level}`);
		}
		if (levels.length)
			await importConnectivity({ text: levels.join('\n'), file: DEMO_CONNECTIVITY_SOURCE }, { db });
		log(
			`Partner villages: ${created.length} villages, demo welcome committee in ${seats.join(', ') || 'none'}; synthetic broadband levels for ${levels.length} communes.`
		);
	}
};
