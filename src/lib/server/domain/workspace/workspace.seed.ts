import type { DemoSeedStep } from '../../demo/demo.types.ts';
import type { OrganisationKind, WorkspaceKind, WorkspacePrices } from '../../db/schema/index.ts';
import { findCommuneByCode } from '../territory/territory.repository.ts';
import { insertOrganisation, updateUserOrganisation } from './workspace.repository.ts';
import { createUser } from '../account/account.service.ts';
import { DEMO_PASSWORD } from '../account/account.seed.ts';
import { createWorkspace } from './workspace.service.ts';

/** The demo partner organisations; the demo partner account belongs to the first one. */
export const DEMO_ORGANISATIONS: { key: string; name: string; kind: OrganisationKind; email: string }[] = [
	{
		key: 'hub',
		name: 'Gers Coworking (démo)',
		kind: 'workspace_operator',
		email: 'contact@coworking.demo.soho.example'
	},
	{
		key: 'agency',
		name: 'Agence immobilière de Gascogne (démo)',
		kind: 'estate_agent',
		email: 'agence@demo.soho.example'
	},
	{
		key: 'crafts',
		name: 'Chambre de métiers du Gers (démo)',
		kind: 'chamber_of_crafts',
		email: 'transmission@cma.demo.soho.example'
	},
	{
		key: 'bank',
		name: 'Banque coopérative du Sud-Ouest (démo)',
		kind: 'bank',
		email: 'pro@banque.demo.soho.example'
	},
	{
		key: 'accountant',
		name: 'Cabinet comptable Armagnac (démo)',
		kind: 'accountant',
		email: 'cabinet@demo.soho.example'
	},
	{
		key: 'cae',
		name: 'Coopérative d’activité et d’emploi (démo)',
		kind: 'business_cooperative',
		email: 'cae@demo.soho.example'
	},
	{
		key: 'employment',
		name: 'Service public de l’emploi, agence d’Auch (démo)',
		kind: 'employment_service',
		email: 'auch@emploi.demo.soho.example'
	}
];
export const DEMO_PARTNER_EMAIL = 'partner@demo.soho.example';
/** A second partner account, at the employment service: it answers the demo's job-search referrals. */
export const DEMO_EMPLOYMENT_PARTNER = {
	email: 'emploi@demo.soho.example',
	name: 'Karim Benali (démo)'
};

type DemoWorkspace = {
	code: string;
	kind: WorkspaceKind;
	name: string;
	capacity: number;
	equipment: string[];
	connection: string;
	prices: WorkspacePrices;
	isOperatedByHub: boolean;
};

/** 8 workspaces modelled on the programme's network: the Auch hub, a telecentre, village tiers-lieux. */
const DEMO_WORKSPACES: DemoWorkspace[] = [
	{ code: '32013', kind: 'coworking', name: 'Hub coworking d’Auch (démo)', capacity: 40, equipment: ['Salles de réunion', 'Visioconférence', 'Cuisine', 'Casiers'], connection: 'Fibre 1 Gbit/s', prices: { day: 15, month: 190, year: 1900 }, isOperatedByHub: true },
	{ code: '32013', kind: 'fablab', name: 'Fablab du hub d’Auch (démo)', capacity: 12, equipment: ['Imprimantes 3D', 'Découpe laser', 'Fraiseuse numérique', 'Atelier électronique'], connection: 'Fibre 1 Gbit/s', prices: { half_day: 10, month: 45 }, isOperatedByHub: true },
	{ code: '32013', kind: 'telecentre', name: 'Télécentre d’Auch (démo)', capacity: 10, equipment: ['Bureaux fermés', 'Imprimante', 'Salle de réunion'], connection: 'Fibre 1 Gbit/s', prices: { day: 12, month: 160 }, isOperatedByHub: false },
	{ code: '32433', kind: 'tiers_lieu', name: 'Tiers-lieu de Simorre (démo)', capacity: 8, equipment: ['Salle partagée', 'Cuisine', 'Imprimante'], connection: 'Très haut débit 100 Mbit/s', prices: { day: 8, month: 90 }, isOperatedByHub: false },
	{ code: '32160', kind: 'tiers_lieu', name: 'Tiers-lieu de L’Isle-Jourdain (démo)', capacity: 16, equipment: ['Open space', 'Salle de réunion', 'Visioconférence'], connection: 'Fibre 1 Gbit/s', prices: { day: 12, month: 150 }, isOperatedByHub: true },
	{ code: '32106', kind: 'tiers_lieu', name: 'Tiers-lieu de Cologne (démo)', capacity: 8, equipment: ['Salle partagée', 'Imprimante', 'Jardin'], connection: 'Très haut débit 100 Mbit/s', prices: { day: 8, month: 85 }, isOperatedByHub: false },
	{ code: '32410', kind: 'tiers_lieu', name: 'Tiers-lieu de Samatan (démo)', capacity: 12, equipment: ['Open space', 'Salle de réunion', 'Café associatif'], connection: 'Fibre 1 Gbit/s', prices: { day: 10, month: 120 }, isOperatedByHub: true },
	{ code: '32107', kind: 'telecentre', name: 'Télécentre de Condom (démo)', capacity: 10, equipment: ['Bureaux fermés', 'Salle de réunion', 'Imprimante'], connection: 'Très haut débit 100 Mbit/s', prices: { day: 10, month: 130 }, isOperatedByHub: false }
]; // prettier-ignore

const KIND_FR: Record<WorkspaceKind, string> = {
	coworking: 'Espace de coworking',
	fablab: 'Fablab',
	telecentre: 'Télécentre',
	tiers_lieu: 'Tiers-lieu'
};
const KIND_EN: Record<WorkspaceKind, string> = {
	coworking: 'Coworking space',
	fablab: 'Fablab',
	telecentre: 'Telecentre',
	tiers_lieu: 'Third place (tiers-lieu)'
};

/**
 * The workspaces step of the demo seed: partner organisations (the demo partner
 * account joins the coworking operator) and 8 workspaces, all labelled demo.
 */
export const workspacesDemoSeedStep: DemoSeedStep = {
	name: 'workspaces',
	async run({ db, programme, log }) {
		const organisations = new Map<string, string>();
		for (const organisation of DEMO_ORGANISATIONS) {
			const created = await insertOrganisation({
				db,
				organisation: {
					programmeId: programme.id,
					name: organisation.name,
					kind: organisation.kind,
					email: organisation.email,
					isDemo: true
				}
			});
			organisations.set(organisation.key, created.id);
		}
		await updateUserOrganisation({
			db,
			programmeId: programme.id,
			email: DEMO_PARTNER_EMAIL,
			organisationId: organisations.get('hub')!
		});
		await createUser(
			{
				input: {
					...DEMO_EMPLOYMENT_PARTNER,
					role: 'partner',
					programmeId: programme.id,
					organisationId: organisations.get('employment')!,
					password: DEMO_PASSWORD,
					isDemo: true
				}
			},
			{ db }
		);
		let count = 0;
		for (const workspace of DEMO_WORKSPACES) {
			const commune = await findCommuneByCode({ db, code: workspace.code });
			if (!commune) continue;
			const postalCode = commune.postalCodes[0] ?? '';
			await createWorkspace(
				{
					input: {
						programmeId: programme.id,
						organisationId: workspace.isOperatedByHub ? organisations.get('hub')! : null,
						communeCode: workspace.code,
						kind: workspace.kind,
						name: workspace.name,
						address: `Centre-bourg, ${postalCode} ${commune.name} (adresse de démonstration)`,
						capacity: workspace.capacity,
						equipment: workspace.equipment,
						connection: workspace.connection,
						prices: workspace.prices,
						openingHoursFr: 'Du lundi au vendredi, 8 h 30 – 18 h 30 ; accès 24 h/24 pour les abonnés.',
						openingHoursEn: 'Monday to Friday, 8.30am – 6.30pm; 24/7 access for members.',
						descriptionFr: `${KIND_FR[workspace.kind]} à ${commune.name} : ${workspace.capacity} postes, ${workspace.connection}. Accueil des nouveaux arrivants du programme, journées d’essai gratuites.\n\n_Lieu de démonstration : il ne décrit pas un lieu réel._`,
						descriptionEn: `${KIND_EN[workspace.kind]} in ${commune.name}: ${workspace.capacity} desks, ${workspace.connection}. Newcomers of the programme are welcome; free trial days.\n\n_Demo place: it does not describe a real one._`,
						contactEmail: `${workspace.kind}.${workspace.code}@demo.soho.example`,
						isDemo: true
					}
				},
				{ db }
			);
			count++;
		}
		log(
			`Workspaces: ${count} places, ${organisations.size} partner organisations (demo partner accounts in "${DEMO_ORGANISATIONS[0].name}" and, for referrals, ${DEMO_EMPLOYMENT_PARTNER.email} at the employment service).`
		);
	}
};
