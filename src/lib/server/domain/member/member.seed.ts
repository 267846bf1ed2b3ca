import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { createRandom } from '../../../domain/random.ts';
import type { DemoSeedStep } from '../../demo/demo.types.ts';
import {
	ambassadorPairingsTable,
	caseActivitiesTable,
	casesTable,
	communesTable,
	memberProfilesTable,
	personsTable,
	membershipsTable,
	usersTable,
	type ProfileVisibility
} from '../../db/schema/index.ts';
import { DEFAULT_PROFILE_VISIBILITY } from '../../db/schema/index.ts';
import { insertUsersWithMemberships } from '../account/account.repository.ts';

/** Fixed seed: every demo has the same members. */
const MEMBER_DEMO_SEED = 32_0505;

/** How many installed demo households become members. */
export const DEMO_MEMBER_COUNT = 40;

type Trade = { headline: string; skills: string[]; services: string; languages: string[] };

/** Synthetic trades of the demo directory; each adds a foreign language the member speaks. */
const TRADES: readonly Trade[] = [
	{
		headline: 'Traductrice FR–NL, textes juridiques et techniques',
		skills: ['Traduction', 'Relecture', 'Interprétariat'],
		services:
			'Traduction **néerlandais ↔ français** : contrats, notices, sites web.\n\n- Relecture\n- Interprétariat lors de rendez-vous',
		languages: ['nl', 'en']
	},
	{
		headline: 'Traducteur anglais–français, localisation de logiciels',
		skills: ['Traduction', 'Localisation'],
		services: 'Localisation d’applications et de sites, traduction marketing.',
		languages: ['en']
	},
	{
		headline: 'Übersetzerin Deutsch–Französisch',
		skills: ['Traduction', 'Sous-titrage'],
		services: 'Traduction allemand ↔ français, sous-titrage de vidéos.',
		languages: ['de', 'en']
	},
	{
		headline: 'Développeur web indépendant (TypeScript, Svelte)',
		skills: ['Développement web', 'TypeScript', 'Sites vitrines'],
		services: 'Sites et applications web pour les commerces et associations du Gers.',
		languages: ['en']
	},
	{
		headline: 'Developer — backend and data',
		skills: ['Software development', 'Python', 'Databases'],
		services: 'APIs, data pipelines and dashboards for small businesses.',
		languages: ['en', 'nl']
	},
	{
		headline: 'Designer graphique et identité visuelle',
		skills: ['Design graphique', 'Identité visuelle', 'Illustration'],
		services: 'Logos, affiches, étiquettes pour producteurs locaux.',
		languages: ['es']
	},
	{
		headline: 'UX designer',
		skills: ['UX design', 'Design d’interfaces', 'Ateliers utilisateurs'],
		services: 'Conception d’interfaces et tests avec les utilisateurs.',
		languages: ['en', 'de']
	},
	{
		headline: 'Consultante en stratégie et organisation',
		skills: ['Conseil', 'Stratégie', 'Gestion de projet'],
		services: 'Accompagnement des PME et associations : stratégie, organisation, financement.',
		languages: ['en', 'es']
	},
	{
		headline: 'Consultant RH et formation',
		skills: ['Conseil RH', 'Formation', 'Coaching'],
		services: 'Recrutement, formation des équipes, coaching de dirigeants.',
		languages: ['de']
	},
	{
		headline: 'Menuisier ébéniste',
		skills: ['Menuiserie', 'Ébénisterie', 'Restauration de meubles'],
		services: 'Meubles sur mesure, restauration, agencement.',
		languages: ['nl']
	},
	{
		headline: 'Céramiste',
		skills: ['Céramique', 'Poterie', 'Ateliers'],
		services: 'Vaisselle, pièces uniques et ateliers d’initiation.',
		languages: ['en']
	},
	{
		headline: 'Photographe',
		skills: ['Photographie', 'Reportage', 'Portrait'],
		services: 'Reportages pour entreprises, portraits, photos de produits.',
		languages: ['es', 'en']
	},
	{
		headline: 'Rédactrice et community manager',
		skills: ['Rédaction', 'Communication', 'Réseaux sociaux'],
		services: 'Textes de sites, newsletters, animation des réseaux sociaux.',
		languages: ['en']
	},
	{
		headline: 'Expert-comptable en télétravail',
		skills: ['Comptabilité', 'Fiscalité'],
		services: 'Tenue comptable et déclarations pour indépendants et TPE.',
		languages: ['nl', 'de']
	}
];

const AVAILABILITIES = [
	'Le mercredi après-midi',
	'En soirée, deux fois par mois',
	'Le samedi matin, au marché',
	'Quelques heures par mois, sur rendez-vous'
];

/** Settling-in stories (synthetic), told on the village page by about one member in three. */
const STORIES: readonly string[] = [
	'Nous sommes arrivés de Lille avec deux enfants et un carton de dossiers. Le comité d’accueil nous a fait visiter trois maisons en une matinée ; la troisième était la bonne. Ce qui a tout changé : le petit-déjeuner des solos, où j’ai trouvé mes deux premiers clients. _(Histoire de démonstration.)_',
	'Après dix ans à Amsterdam, je cherchais du calme et une vraie connexion. La fibre est arrivée avant nous, l’école est à 300 mètres, et le maire connaît le prénom de notre fils. Je travaille au tiers-lieu deux jours par semaine pour ne pas rester seule. _(Histoire de démonstration.)_',
	'J’ai repris l’atelier d’un menuisier qui partait à la retraite, grâce à la chambre de métiers rencontrée au salon de Paris. Ma compagne a retrouvé un poste d’infirmière à Auch en trois mois. _(Histoire de démonstration.)_',
	'Télétravailleur pour une entreprise toulousaine, je descends en ville une fois par semaine. Le reste du temps, c’est le bureau face aux coteaux et le marché du jeudi. Je suis devenu ambassadeur pour accueillir à mon tour. _(Histoire de démonstration.)_'
];

const VISIBILITIES: readonly Partial<ProfileVisibility>[] = [
	{ name: 'public', commune: 'public' },
	{ name: 'public', commune: 'public', email: 'members' },
	{ name: 'members', commune: 'members' },
	{ name: 'public', commune: 'members', website: 'hidden' }
];

const slug = (text: string) =>
	text
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

/**
 * Demo members: about 40 installed demo households become members with synthetic
 * directory profiles (most listed, some not), a handful volunteer as ambassadors, and a
 * few open demo cases have an ambassador. The demo member account gets a listed profile.
 */
export const memberDemoSeedStep: DemoSeedStep = {
	name: 'members',
	async run({ db, programme, log }) {
		const random = createRandom(MEMBER_DEMO_SEED);
		const installed = await db
			.select({ kase: casesTable, person: personsTable })
			.from(casesTable)
			.innerJoin(
				personsTable,
				and(eq(personsTable.caseId, casesTable.id), eq(personsTable.householdRole, 'candidate'))
			)
			.where(
				and(
					eq(casesTable.programmeId, programme.id),
					inArray(casesTable.stage, ['installed', 'integrated']),
					isNotNull(personsTable.email),
					isNotNull(casesTable.installedCommuneCode)
				)
			)
			.orderBy(asc(casesTable.reference));
		const existing = new Set(
			(await db.select({ email: usersTable.email }).from(usersTable)).map((u) => u.email)
		);
		const chosen = random
			.shuffle(installed)
			.filter((row) => !existing.has(row.person.email!))
			.slice(0, DEMO_MEMBER_COUNT);
		const profiles: (typeof memberProfilesTable.$inferInsert)[] = [];
		for (const [index, { kase, person }] of chosen.entries()) {
			const name = [person.firstName, person.lastName].filter(Boolean).join(' ') || person.email!;
			const [user] = await insertUsersWithMemberships({
				db,
				users: [
					{
						name,
						email: person.email!,
						role: 'member',
						programmeId: programme.id,
						locale: person.languages.includes('fr') ? 'fr' : 'en',
						isDemo: true
					}
				]
			});
			const trade = TRADES[index % TRADES.length];
			const isAmbassador = index % 8 === 0;
			profiles.push({
				programmeId: programme.id,
				userId: user.id,
				caseId: kase.id,
				personId: person.id,
				displayName: name,
				headline: trade.headline,
				skills: trade.skills,
				services: trade.services,
				languages: [...new Set(['fr', ...person.languages, ...trade.languages.slice(0, random.int(1, 2))])],
				communeCode: kase.installedCommuneCode,
				website: random.chance(0.6) ? `https://${slug(name)}.example` : null,
				// Most opt in; about one in six does not, and never appears anywhere public.
				isListed: index % 6 !== 5,
				story: index % 3 === 0 ? STORIES[(index / 3) % STORIES.length] : null,
				visibility: {
					...DEFAULT_PROFILE_VISIBILITY,
					...VISIBILITIES[index % VISIBILITIES.length],
					...(index % 3 === 0 ? { story: 'public' as const } : {})
				},
				isAmbassador,
				ambassadorAvailability: isAmbassador ? random.pick(AVAILABILITIES) : null,
				ambassadorLanguages: isAmbassador ? trade.languages.slice(0, 1) : [],
				isDemo: true
			});
		}

		// The demo member account (Sofie de Vries): a listed translator and ambassador.
		const [demoMember] = await db
			.select({ id: usersTable.id })
			.from(usersTable)
			.innerJoin(membershipsTable, eq(membershipsTable.userId, usersTable.id))
			.where(
				and(eq(membershipsTable.programmeId, programme.id), eq(usersTable.email, 'member@demo.soho.example'))
			);
		if (demoMember) {
			const [lectoure] = await db
				.select({ code: communesTable.code })
				.from(communesTable)
				.where(eq(communesTable.code, '32208'));
			profiles.push({
				programmeId: programme.id,
				userId: demoMember.id,
				displayName: 'Sofie de Vries (démo)',
				headline: 'Traductrice néerlandais–français–anglais',
				skills: ['Traduction', 'Interprétariat', 'Relecture'],
				services:
					'Traduction et interprétariat **néerlandais, anglais, français** pour les entreprises du Gers.',
				languages: ['nl', 'en', 'fr'],
				communeCode: lectoure?.code ?? chosen[0]?.kase.installedCommuneCode ?? null,
				website: 'https://sofie-de-vries.example',
				isListed: true,
				story:
					'Je suis arrivée d’Utrecht en 2019 avec mon ordinateur et trois clients. Lectoure m’a adoptée : le comité m’a présenté l’association des commerçants, et je traduis aujourd’hui pour les domaines viticoles de la Lomagne. _(Histoire de démonstration.)_',
				visibility: { ...DEFAULT_PROFILE_VISIBILITY, name: 'public', commune: 'public', story: 'public' },
				isAmbassador: true,
				ambassadorAvailability: 'Le mercredi après-midi, à Lectoure',
				ambassadorLanguages: ['nl', 'en'],
				isDemo: true
			});
		}
		if (profiles.length === 0) return;
		const inserted = await db.insert(memberProfilesTable).values(profiles).returning();

		// A few open demo cases welcomed by an ambassador who speaks their language when possible.
		const ambassadors = inserted.filter((profile) => profile.isAmbassador);
		const open = await db
			.select({ kase: casesTable, languages: personsTable.languages })
			.from(casesTable)
			.innerJoin(
				personsTable,
				and(eq(personsTable.caseId, casesTable.id), eq(personsTable.householdRole, 'candidate'))
			)
			.where(
				and(
					eq(casesTable.programmeId, programme.id),
					inArray(casesTable.stage, ['qualified', 'discovery_visit', 'installing'])
				)
			)
			.orderBy(asc(casesTable.reference))
			.limit(40);
		const sofie = inserted.find((profile) => profile.userId === demoMember?.id);
		let pairings = 0;
		const used = new Set<string>();
		for (const { kase, languages } of open) {
			if (pairings >= 3 || ambassadors.length === 0) break;
			const foreign = languages.filter((code) => code !== 'fr');
			const ambassador =
				(pairings === 0 && sofie) ||
				ambassadors.find(
					(a) =>
						!used.has(a.id) &&
						foreign.some((code) => [...a.languages, ...a.ambassadorLanguages].includes(code))
				) ||
				ambassadors.find((a) => !used.has(a.id));
			if (!ambassador) break;
			used.add(ambassador.id);
			const at = new Date(Date.now() - (10 + pairings * 7) * 86_400_000);
			const [pairing] = await db
				.insert(ambassadorPairingsTable)
				.values({
					programmeId: programme.id,
					ambassadorProfileId: ambassador.id,
					caseId: kase.id,
					status: 'active',
					note: 'Premier café prévu au marché (démo).',
					reasons: foreign.length ? ['language'] : ['french_only'],
					isDemo: true,
					createdAt: at,
					updatedAt: at
				})
				.returning();
			await db.insert(caseActivitiesTable).values({
				programmeId: programme.id,
				caseId: kase.id,
				kind: 'ambassador',
				occurredAt: at,
				summary: `Mis en relation avec l’ambassadeur ${ambassador.displayName}`,
				body: pairing.note,
				data: { pairingId: pairing.id, ambassadorProfileId: ambassador.id, status: 'active' }
			});
			pairings++;
		}
		const listed = inserted.filter((profile) => profile.isListed).length;
		log(
			`Members: ${inserted.length} synthetic profiles (${listed} listed in the directory), ${ambassadors.length} ambassadors, ${pairings} pairings.`
		);
	}
};
