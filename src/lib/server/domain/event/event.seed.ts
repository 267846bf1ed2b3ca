import { createRandom } from '../../../domain/random.ts';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import type { EventKind } from '../../db/schema/index.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { findVillageByCommune } from '../village/village.repository.ts';
import { findWorkspaceRows, type WorkspaceRow } from '../workspace/workspace.repository.ts';
import { createEvent } from './event.service.ts';

/** Fixed seed: the demo agenda is the same on every machine (relative to the seed date). */
const EVENT_SEED = 20_250_601;
const UPCOMING = 12;
const PAST = 20;
const DEMO_NOTE_FR = '\n\n_Événement de démonstration : il n’aura pas lieu._';
const DEMO_NOTE_EN = '\n\n_Demo event: it will not take place._';

type Where =
	{ kind: 'workspace'; workspaceKinds: string[] } | { kind: 'address'; code: string | null; address: string };

type Template = {
	kind: EventKind;
	/** Local start hour (Europe/Paris) and duration in hours. */
	hour: number;
	minute?: number;
	hours: number;
	capacity: number | null;
	isOnline?: boolean;
	where: Where;
	titleFr: string;
	titleEn: string;
	descriptionFr: string;
	descriptionEn: string;
	/** Relative weight in the agenda. */
	weight: number;
};

const TEMPLATES: Template[] = [
	{
		kind: 'information_meeting',
		hour: 18,
		hours: 2,
		capacity: 40,
		where: {
			kind: 'address',
			code: '32013',
			address: 'Maison des associations, 32000 Auch (adresse de démonstration)'
		},
		titleFr: 'Réunion d’information : s’installer dans le Gers',
		titleEn: 'Information meeting: moving to the Gers',
		descriptionFr:
			'Vous envisagez de quitter la ville pour travailler depuis un village ? L’équipe du programme présente le parcours d’accueil : le premier contact, le **séjour découverte**, la recherche d’un logement et d’un lieu de travail, les comités d’accueil des villages.\n\nDes solos installés depuis un ou deux ans racontent leur arrivée et répondent à vos questions.',
		descriptionEn:
			'Thinking of leaving the city to work from a village? The programme team presents the welcome path: first contact, the **discovery stay**, finding a home and a place to work, the villages’ welcome committees.\n\nSolos who settled a year or two ago tell how they arrived and answer your questions.',
		weight: 3
	},
	{
		kind: 'breakfast',
		hour: 8,
		minute: 30,
		hours: 2,
		capacity: 25,
		where: { kind: 'workspace', workspaceKinds: ['tiers_lieu'] },
		titleFr: 'Petit-déjeuner des solos',
		titleEn: 'Solos’ breakfast',
		descriptionFr:
			'Le rendez-vous du mois pour les travailleurs indépendants du territoire : un café, des viennoiseries de la boulangerie du village et un tour de table. Nouveaux arrivants bienvenus, c’est le meilleur moyen de rencontrer vos voisins de bureau.',
		descriptionEn:
			'The monthly get-together of the area’s independent workers: coffee, pastries from the village bakery and a round of introductions. Newcomers welcome: it is the best way to meet your desk neighbours.',
		weight: 4
	},
	{
		kind: 'workshop',
		hour: 14,
		hours: 3,
		capacity: 12,
		where: { kind: 'workspace', workspaceKinds: ['coworking', 'telecentre'] },
		titleFr: 'Atelier : trouver ses premiers clients locaux',
		titleEn: 'Workshop: finding your first local clients',
		descriptionFr:
			'Animé par une graphiste installée à Samatan depuis deux ans. Cartographier les entreprises et les collectivités proches, se présenter au réseau des artisans, tarifer une prestation pour un client local.\n\nApportez votre ordinateur.',
		descriptionEn:
			'Led by a graphic designer who settled in Samatan two years ago. Mapping nearby businesses and local authorities, introducing yourself to the craft network, pricing a service for a local client.\n\nBring your laptop.',
		weight: 2
	},
	{
		kind: 'workshop',
		hour: 9,
		minute: 30,
		hours: 3,
		capacity: 10,
		where: { kind: 'workspace', workspaceKinds: ['fablab'] },
		titleFr: 'Atelier : découvrir l’impression 3D au fablab',
		titleEn: 'Workshop: discovering 3D printing at the fablab',
		descriptionFr:
			'Un membre du fablab vous guide de la modélisation à l’impression d’un premier objet. Aucune connaissance préalable nécessaire.',
		descriptionEn:
			'A fablab member guides you from modelling to printing your first object. No prior knowledge needed.',
		weight: 1
	},
	{
		kind: 'workshop',
		hour: 10,
		hours: 1.5,
		capacity: 30,
		isOnline: true,
		where: { kind: 'address', code: null, address: '' },
		titleFr: 'Atelier en ligne : la facturation électronique pour les indépendants',
		titleEn: 'Online workshop: e-invoicing for independent workers',
		descriptionFr:
			'Animé par un membre expert-comptable. Ce qui change pour les micro-entrepreneurs, quels outils choisir, comment s’y préparer. Le lien de connexion est envoyé la veille.',
		descriptionEn:
			'Led by a member who is a chartered accountant. What changes for sole traders, which tools to pick, how to get ready. The link is sent the day before.',
		weight: 1
	},
	{
		kind: 'club_meeting',
		hour: 18,
		minute: 30,
		hours: 2,
		capacity: 30,
		where: { kind: 'workspace', workspaceKinds: ['coworking'] },
		titleFr: 'Club des solos : soirée thématique',
		titleEn: 'Solos’ club: themed evening',
		descriptionFr:
			'La rencontre du club : un membre présente son activité et un retour d’expérience, puis échanges libres. Ce mois-ci : travailler avec des clients à l’étranger depuis un village.',
		descriptionEn:
			'The club’s meeting: a member presents their business and what they learnt, then open discussion. This month: working with clients abroad from a village.',
		weight: 2
	},
	{
		kind: 'afterwork',
		hour: 18,
		hours: 3,
		capacity: null,
		where: { kind: 'workspace', workspaceKinds: ['tiers_lieu', 'coworking'] },
		titleFr: 'Afterwork au tiers-lieu',
		titleEn: 'Afterwork at the tiers-lieu',
		descriptionFr:
			'Fin de journée conviviale ouverte à tous : solos, habitants, élus et commerçants. Produits locaux, chacun apporte quelque chose à partager.',
		descriptionEn:
			'A friendly end of the day, open to all: solos, residents, councillors and shopkeepers. Local produce; everyone brings something to share.',
		weight: 2
	},
	{
		kind: 'fair_stand',
		hour: 10,
		hours: 8,
		capacity: null,
		where: {
			kind: 'address',
			code: null,
			address: 'Salon de la mobilité professionnelle, Paris — hall 4 (salon fictif de démonstration)'
		},
		titleFr: 'Stand du programme au salon de la mobilité professionnelle (Paris)',
		titleEn: 'The programme’s stand at the career mobility fair (Paris)',
		descriptionFr:
			'Venez rencontrer l’équipe et des solos installés sur notre stand : villages partenaires, offres de logement et de locaux, lieux de travail. Entrée du salon gratuite sur inscription auprès des organisateurs.',
		descriptionEn:
			'Meet the team and settled solos at our stand: partner villages, housing and premises on offer, places to work. Free entry to the fair after registering with its organisers.',
		weight: 1
	},
	{
		kind: 'conference',
		hour: 18,
		hours: 2,
		capacity: 80,
		where: {
			kind: 'address',
			code: '32013',
			address: 'Salle du conseil, hôtel de ville, 32000 Auch (adresse de démonstration)'
		},
		titleFr: 'Conférence : le travail à distance change-t-il nos campagnes ?',
		titleEn: 'Talk: is remote work changing our countryside?',
		descriptionFr:
			'Une chercheuse en géographie présente les premiers résultats du suivi des installations, suivie d’un débat avec des élus et des solos.',
		descriptionEn:
			'A geography researcher presents the first results of the installation follow-up, followed by a debate with councillors and solos.',
		weight: 1
	}
];

/** The Paris offset at this instant: +2 h in summer time, +1 h otherwise. */
function parisOffsetHours(date: Date): number {
	const parts = new Intl.DateTimeFormat('en-GB', {
		timeZone: 'Europe/Paris',
		hour: '2-digit',
		hourCycle: 'h23'
	})
		.formatToParts(date)
		.find((part) => part.type === 'hour');
	return (Number(parts?.value ?? 0) - date.getUTCHours() + 24) % 24;
}

/** The instant of a local Paris time on the day `dayOffset` days after `from`. */
function parisTime(from: Date, dayOffset: number, hour: number, minute: number): Date {
	const day = new Date(
		Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + dayOffset, 12)
	);
	const offset = parisOffsetHours(day);
	return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour - offset, minute));
}

/** Skips weekends: events happen on working days. */
function toWeekday(from: Date, dayOffset: number): number {
	let offset = dayOffset;
	for (;;) {
		const weekday = new Date(from.getTime() + offset * 86_400_000).getUTCDay();
		if (weekday !== 0 && weekday !== 6) return offset;
		offset += dayOffset >= 0 ? 1 : -1;
	}
}

/**
 * The events step of the demo seed: about 12 events over the next 3 months and 20 over
 * the past 10, at the demo workspaces and in Auch, all labelled demo. An event at a
 * workspace of a partner village belongs to that village.
 */
export const eventDemoSeedStep: DemoSeedStep = {
	name: 'events',
	async run({ db, programme, log }) {
		const random = createRandom(EVENT_SEED);
		const today = new Date();
		const workspaces = await findWorkspaceRows({ db, programmeId: programme.id });
		const weighted = TEMPLATES.map((template) => [template, template.weight] as const);
		const hasAuch = (await findCommuneByCode({ db, code: '32013' })) !== null;
		// An event at a workspace in a partner village belongs to that village: its committee manages it.
		const villageOfWorkspace = new Map<string, string>();
		for (const workspace of workspaces) {
			const village = await findVillageByCommune({
				db,
				programmeId: programme.id,
				communeCode: workspace.communeCode
			});
			if (village?.status === 'partner') villageOfWorkspace.set(workspace.id, village.id);
		}

		const pickPlace = (template: Template) => {
			if (template.isOnline) return { workspaceId: null, address: null, communeCode: null };
			if (template.where.kind === 'workspace') {
				const kinds = template.where.workspaceKinds;
				const candidates = workspaces.filter((w: WorkspaceRow) => kinds.includes(w.kind));
				if (candidates.length)
					return { workspaceId: random.pick(candidates).id, address: null, communeCode: null };
				return {
					workspaceId: null,
					address: 'Auch (adresse de démonstration)',
					communeCode: hasAuch ? '32013' : null
				};
			}
			const code =
				template.where.code && (template.where.code !== '32013' || hasAuch) ? template.where.code : null;
			return { workspaceId: null, address: template.where.address, communeCode: code };
		};

		// Upcoming: spread over ~90 days; the first is an information meeting (the candidates' first contact).
		const plan: { template: Template; dayOffset: number }[] = [];
		for (let i = 0; i < UPCOMING; i++) {
			const template = i === 0 ? TEMPLATES[0] : random.weighted(weighted);
			plan.push({
				template,
				dayOffset: toWeekday(today, 3 + Math.floor((i * 87) / UPCOMING) + random.int(0, 4))
			});
		}
		for (let i = 0; i < PAST; i++) {
			plan.push({
				template: random.weighted(weighted),
				dayOffset: toWeekday(today, -(4 + i * 15 + random.int(0, 6)))
			});
		}

		let upcoming = 0;
		let past = 0;
		for (const { template, dayOffset } of plan) {
			const startsAt = parisTime(today, dayOffset, template.hour, template.minute ?? 0);
			const endsAt = new Date(startsAt.getTime() + template.hours * 3_600_000);
			const place = pickPlace(template);
			await createEvent(
				{
					input: {
						programmeId: programme.id,
						kind: template.kind,
						titleFr: template.titleFr,
						titleEn: template.titleEn,
						descriptionFr: template.descriptionFr + DEMO_NOTE_FR,
						descriptionEn: template.descriptionEn + DEMO_NOTE_EN,
						startsAt,
						endsAt,
						...place,
						villageId: place.workspaceId ? (villageOfWorkspace.get(place.workspaceId) ?? null) : null,
						capacity: template.capacity,
						isOnline: template.isOnline ?? false,
						isDemo: true
					}
				},
				{ db }
			);
			if (dayOffset >= 0) upcoming++;
			else past++;
		}
		log(`Events: ${upcoming} upcoming, ${past} past.`);
	}
};
