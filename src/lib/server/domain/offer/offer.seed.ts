import type { DemoSeedStep } from '../../demo/demo.types.ts';
import type { OfferKind, OrganisationKind } from '../../db/schema/index.ts';
import { listPublicVillages } from '../village/village.service.ts';
import { createDemoRandom } from '../village/village.seed.ts';
import { findOrganisationsOfProgramme } from '../workspace/workspace.repository.ts';
import { insertOffer } from './offer.repository.ts';
import { createOffer } from './offer.service.ts';

const DAY_MS = 86_400_000;

type Plan = {
	kind: OfferKind;
	count: number;
	price: [number, number];
	/** Rounding step of the price. */
	step: number;
	surface?: [number, number];
	owner: 'village' | 'agency' | 'mixed' | OrganisationKind;
};

/** How many demo offers of each kind, at what prices (rents per month, sales in total). */
const PLANS: Plan[] = [
	{ kind: 'house_rent', count: 8, price: [450, 1100], step: 10, surface: [70, 160], owner: 'mixed' },
	{ kind: 'flat_rent', count: 4, price: [450, 800], step: 10, surface: [40, 90], owner: 'agency' },
	{ kind: 'house_sale', count: 6, price: [90_000, 350_000], step: 1000, surface: [80, 220], owner: 'mixed' },
	{ kind: 'flat_sale', count: 2, price: [90_000, 180_000], step: 1000, surface: [50, 100], owner: 'agency' },
	{ kind: 'premises_rent', count: 3, price: [300, 900], step: 10, surface: [30, 150], owner: 'village' },
	{
		kind: 'premises_sale',
		count: 2,
		price: [60_000, 200_000],
		step: 1000,
		surface: [60, 300],
		owner: 'agency'
	},
	{ kind: 'land', count: 3, price: [20_000, 60_000], step: 500, surface: [600, 2000], owner: 'village' }
];

type Texts = { titleFr: string; titleEn: string; descriptionFr: string; descriptionEn: string };

const DEMO_NOTE_FR = '_Annonce de démonstration : elle ne correspond à aucun bien réel._';
const DEMO_NOTE_EN = '_Demo listing: it does not match any real property._';

function texts(kind: OfferKind, place: string, surface: number | null, rooms: number | null): Texts {
	const s = surface ?? 0;
	const r = rooms ?? 0;
	const byKind: Record<OfferKind, [string, string, string, string]> = {
		house_rent: [
			`Maison ${r} pièces à louer à ${place}`,
			`${r}-room house to rent in ${place}`,
			`Maison de ${s} m² avec jardin, proche du centre-bourg. Chauffage au bois et pompe à chaleur, bureau au calme.`,
			`${s} m² house with a garden, near the village centre. Wood and heat-pump heating, a quiet study.`
		],
		flat_rent: [
			`Appartement ${r} pièces à louer à ${place}`,
			`${r}-room flat to rent in ${place}`,
			`Appartement de ${s} m² en centre-bourg, lumineux, commerces à pied.`,
			`Bright ${s} m² flat in the village centre, shops within walking distance.`
		],
		house_sale: [
			`Maison ${r} pièces à vendre à ${place}`,
			`${r}-room house for sale in ${place}`,
			`Maison gasconne de ${s} m² sur un terrain arboré, dépendance aménageable en atelier ou en bureau.`,
			`${s} m² Gascon house on a wooded plot, with an outbuilding that can become a workshop or an office.`
		],
		flat_sale: [
			`Appartement ${r} pièces à vendre à ${place}`,
			`${r}-room flat for sale in ${place}`,
			`Appartement de ${s} m² rénové, au calme, dans une petite copropriété.`,
			`Renovated ${s} m² flat in a quiet, small building.`
		],
		premises_rent: [
			`Local professionnel à louer à ${place}`,
			`Business premises to rent in ${place}`,
			`Local de ${s} m² en rez-de-chaussée, vitrine sur rue, proposé par la commune pour une activité nouvelle.`,
			`${s} m² ground-floor premises with a shop window, offered by the commune for a new business.`
		],
		premises_sale: [
			`Local professionnel à vendre à ${place}`,
			`Business premises for sale in ${place}`,
			`Local de ${s} m² avec bureau et réserve, accès facile et stationnement.`,
			`${s} m² premises with an office and a storeroom, easy access and parking.`
		],
		business_takeover: [
			`Entreprise à reprendre à ${place}`,
			`Business to take over in ${place}`,
			`Le cédant part à la retraite et accompagne le repreneur pendant six mois. Clientèle fidèle.`,
			`The owner is retiring and will support the buyer for six months. Loyal customers.`
		],
		land: [
			`Terrain à bâtir à ${place}`,
			`Building plot in ${place}`,
			`Terrain de ${s} m² viabilisé, vue sur les coteaux, proposé par la commune.`,
			`${s} m² serviced plot overlooking the hills, offered by the commune.`
		],
		partner_job: [`Offre d’emploi à ${place}`, `Job offer in ${place}`, '', '']
	};
	const [titleFr, titleEn, fr, en] = byKind[kind];
	return {
		titleFr,
		titleEn,
		descriptionFr: `${fr}\n\n${DEMO_NOTE_FR}`,
		descriptionEn: `${en}\n\n${DEMO_NOTE_EN}`
	};
}

/**
 * The offers step of the demo seed: about forty listings of every kind in the demo
 * villages, with FR/EN texts and plausible prices, owned by the estate agent, the
 * committees, the chamber of crafts, the bank (one anonymised takeover), the
 * employment service and the coworking operator. Two have already expired (they do
 * not show on the portal) and one expires within a week (for the reminder).
 */
export const offersDemoSeedStep: DemoSeedStep = {
	name: 'offers',
	async run({ db, programme, log }) {
		const random = createDemoRandom(3201);
		const { villages } = await listPublicVillages({ programmeId: programme.id }, { db });
		if (villages.length === 0) {
			log('Offers skipped: no partner village (the communes are not imported?).');
			return;
		}
		const organisations = new Map(
			(await findOrganisationsOfProgramme({ db, programmeId: programme.id })).map((o) => [o.kind, o.id])
		);
		const now = new Date();
		const days = (n: number) => new Date(now.getTime() + n * DAY_MS);
		let created = 0;
		const create = async (input: Omit<Parameters<typeof createOffer>[0]['input'], 'programmeId'>) => {
			await createOffer({ input: { programmeId: programme.id, isDemo: true, ...input } }, { db, now });
			created++;
		};
		const round = (value: number, step: number) => Math.round(value / step) * step;

		for (const plan of PLANS) {
			for (let i = 0; i < plan.count; i++) {
				const village = random.pick(villages);
				const surface = plan.surface ? random.int(...plan.surface) : null;
				const rooms = ['house_rent', 'flat_rent', 'house_sale', 'flat_sale'].includes(plan.kind)
					? Math.max(2, Math.round((surface ?? 60) / 22))
					: null;
				const isVillageOwned = plan.owner === 'village' || (plan.owner === 'mixed' && random.chance(0.5));
				await create({
					kind: plan.kind,
					...texts(plan.kind, village.name, surface, rooms),
					communeCode: village.communeCode,
					villageId: isVillageOwned ? village.id : null,
					organisationId: isVillageOwned ? null : (organisations.get('estate_agent') ?? null),
					price: round(random.int(...plan.price), plan.step),
					surfaceM2: surface,
					rooms,
					publishedAt: days(-random.int(1, 60)),
					expiresAt: days(random.int(20, 150)),
					contactEmail: isVillageOwned ? null : 'agence@demo.soho.example'
				});
			}
		}

		const takeovers = [
			{ sector: 'Boulangerie-pâtisserie', sectorEn: 'Bakery', owner: 'chamber_of_crafts', price: 145_000, isAnonymised: false },
			{ sector: 'Garage automobile', sectorEn: 'Car repair garage', owner: 'chamber_of_crafts', price: 90_000, isAnonymised: false },
			{ sector: 'Épicerie fine et dépôt de pain', sectorEn: 'Delicatessen and bread counter', owner: 'bank', price: 120_000, isAnonymised: true }
		] as const; // prettier-ignore
		for (const takeover of takeovers) {
			const village = random.pick(villages);
			const base = texts('business_takeover', village.name, null, null);
			await create({
				kind: 'business_takeover',
				titleFr: `${takeover.sector} à reprendre à ${village.name}`,
				titleEn: `${takeover.sectorEn} to take over in ${village.name}`,
				descriptionFr: base.descriptionFr,
				descriptionEn: base.descriptionEn,
				communeCode: village.communeCode,
				organisationId: organisations.get(takeover.owner) ?? null,
				price: takeover.price,
				publishedAt: days(-random.int(5, 40)),
				expiresAt: days(random.int(60, 180)),
				isAnonymised: takeover.isAnonymised,
				sector: takeover.sector,
				areaLabel: takeover.isAnonymised ? `Près de ${village.name}` : village.name
			});
		}

		const jobs = [
			{ owner: 'employment_service', fr: 'Chargé ou chargée de développement économique (CDI)', en: 'Economic development officer (permanent)' },
			{ owner: 'workspace_operator', fr: 'Animateur ou animatrice de tiers-lieu (mi-temps)', en: 'Third-place coordinator (part time)' }
		] as const; // prettier-ignore
		for (const job of jobs) {
			const village = random.pick(villages);
			await create({
				kind: 'partner_job',
				titleFr: job.fr,
				titleEn: job.en,
				descriptionFr: `Poste basé à ${village.name}, télétravail partiel possible.\n\n${DEMO_NOTE_FR}`,
				descriptionEn: `Based in ${village.name}, partly remote.\n\n${DEMO_NOTE_EN}`,
				communeCode: village.communeCode,
				organisationId: organisations.get(job.owner) ?? null,
				publishedAt: days(-random.int(1, 20)),
				expiresAt: days(random.int(30, 60))
			});
		}

		// One listing expiring within a week, for `soho offers remind-expiring`.
		const soon = villages[0];
		await create({
			kind: 'house_rent',
			...texts('house_rent', soon.name, 90, 4),
			communeCode: soon.communeCode,
			villageId: soon.id,
			price: 620,
			surfaceM2: 90,
			rooms: 4,
			publishedAt: days(-50),
			expiresAt: days(5)
		});

		// Two listings that have already expired: in the back office, not on the portal.
		for (const village of [villages[1] ?? soon, villages[2] ?? soon]) {
			await insertOffer({
				db,
				offer: {
					programmeId: programme.id,
					kind: 'house_rent',
					...texts('house_rent', village.name, 85, 4),
					communeCode: village.communeCode,
					villageId: village.id,
					price: round(random.int(500, 800), 10),
					surfaceM2: 85,
					rooms: 4,
					publishedAt: days(-120),
					expiresAt: days(-random.int(2, 20)),
					isDemo: true
				}
			});
			created++;
		}
		log(`Offers: ${created} listings of every kind (2 already expired, not shown on the portal).`);
	}
};
