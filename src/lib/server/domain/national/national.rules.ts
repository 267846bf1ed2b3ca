/*
 * The national portal's pure rules: where the map puts the results of a search.
 */

/** A commune holding results of the search (all pages): what the national map draws. */
export type NationalPlaceRow = {
	communeCode: string;
	communeName: string;
	departementCode: string;
	lat: number;
	lon: number;
	/** Results in that commune. */
	hits: number;
	programmeIds: string[];
};

/**
 * A place on the national map: a commune holding results, or a whole département when the search
 * spreads over more than MAP_COMMUNES communes (the map then shows where, not each commune). How
 * many results it holds, and whose.
 */
export type NationalPlace = {
	kind: 'commune' | 'departement';
	/** Commune or département code. */
	code: string;
	name: string;
	position: { lat: number; lon: number };
	count: number;
	programmes: { id: string; name: string }[];
};

/** Beyond this many communes, the map groups the results by département. */
export const MAP_COMMUNES = 200;

/** The map's places: the communes, or their départements (centre: the mean of their communes). */
export function placesOf(
	rows: readonly NationalPlaceRow[],
	{
		programmeOf,
		departementNames
	}: {
		programmeOf: (id: string) => { id: string; name: string } | undefined;
		/** Département code → name (COG). */
		departementNames: ReadonlyMap<string, string>;
	}
): NationalPlace[] {
	const programmes = (ids: Iterable<string>) =>
		[...new Set(ids)].sort().flatMap((id) => {
			const programme = programmeOf(id);
			return programme ? [programme] : [];
		});
	if (rows.length <= MAP_COMMUNES)
		return rows.map((row) => ({
			kind: 'commune',
			code: row.communeCode,
			name: row.communeName,
			position: { lat: row.lat, lon: row.lon },
			count: row.hits,
			programmes: programmes(row.programmeIds)
		}));
	const groups = new Map<string, NationalPlaceRow[]>();
	for (const row of rows) {
		const members = groups.get(row.departementCode);
		if (members) members.push(row);
		else groups.set(row.departementCode, [row]);
	}
	return [...groups]
		.map(([code, members]): NationalPlace => ({
			kind: 'departement',
			code,
			name: departementNames.get(code) ?? code,
			position: {
				lat: members.reduce((sum, m) => sum + m.lat, 0) / members.length,
				lon: members.reduce((sum, m) => sum + m.lon, 0) / members.length
			},
			count: members.reduce((sum, m) => sum + m.hits, 0),
			programmes: programmes(members.flatMap((m) => m.programmeIds))
		}))
		.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}
