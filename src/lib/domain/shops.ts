/**
 * The shops and services of a village are typed by staff as free text ("boulangerie", "Bakery",
 * "marché le jeudi"…). The common kinds are recognised whatever the language, accents or case,
 * so that pages show them in the reader's language; anything else is shown as typed.
 */
export const SHOP_KINDS = [
	'bakery',
	'grocery',
	'cafe',
	'butcher',
	'weekly_market',
	'restaurant',
	'post_office',
	'convenience_store',
	'supermarket',
	'pharmacy',
	'doctor',
	'bar',
	'tobacconist',
	'hairdresser',
	'garage',
	'bookshop'
] as const;
export type ShopKind = (typeof SHOP_KINDS)[number];

/** Names that mean each kind, in French and English, without accents, lower case. */
const NAMES: Record<ShopKind, string[]> = {
	bakery: ['boulangerie', 'boulangerie patisserie', 'boulangerie-patisserie', 'bakery', 'baker'],
	grocery: ['epicerie', 'grocery', 'grocer', 'grocery store', 'epicerie fine'],
	cafe: ['cafe', 'coffee shop', 'cafe-bar'],
	butcher: ['boucherie', 'boucherie charcuterie', 'boucherie-charcuterie', 'butcher', "butcher's"],
	weekly_market: ['marche hebdomadaire', 'marche', 'weekly market', 'market'],
	restaurant: ['restaurant'],
	post_office: ['bureau de poste', 'poste', 'agence postale', 'post office'],
	convenience_store: ['superette', 'convenience store', 'mini-market', 'minimarket'],
	supermarket: ['supermarche', 'supermarket', 'hypermarche'],
	pharmacy: ['pharmacie', 'pharmacy', 'chemist'],
	doctor: ['medecin', 'medecin generaliste', 'doctor', 'gp', 'maison de sante', 'health centre'],
	bar: ['bar', 'pub'],
	tobacconist: ['tabac', 'bureau de tabac', 'bar-tabac', 'tobacconist'],
	hairdresser: ['coiffeur', 'salon de coiffure', 'hairdresser'],
	garage: ['garage', 'car repair'],
	bookshop: ['librairie', 'bookshop', 'bookstore']
};

const normalise = (text: string) =>
	text
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toLowerCase()
		.replace(/[’']/g, "'")
		.replace(/\s+/g, ' ')
		.trim();

const KIND_OF_NAME = new Map<string, ShopKind>(
	SHOP_KINDS.flatMap((kind) => NAMES[kind].map((name) => [normalise(name), kind] as const))
);

/** The kind a typed shop name means, or null when it is not one of the common kinds. */
export function shopKindOf(text: string): ShopKind | null {
	return KIND_OF_NAME.get(normalise(text)) ?? null;
}
