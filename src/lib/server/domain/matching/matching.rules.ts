/**
 * What the suggestions and the offer alerts share between the stored rows and the pure engine:
 * a household's needs as the engine reads them, and a commune row as it prepares it.
 */
import type { ConnectionLevel, VillageServices } from '../../db/schema/index.ts';
import type { MatchingNeeds, RawMatchingCommune } from '../../../domain/matching/matching.ts';
import { effectiveConnectionLevel } from '../connectivity/connectivity.rules.ts';
import { villageChildcare } from '../village/village.rules.ts';

/** The questionnaire's answers (stored row or form view) as the engine reads them. */
export function toMatchingNeeds(needs: MatchingNeeds): MatchingNeeds {
	return {
		housingTenure: needs.housingTenure,
		budgetMin: needs.budgetMin,
		budgetMax: needs.budgetMax,
		housingType: needs.housingType,
		minRooms: needs.minRooms,
		minConnection: needs.minConnection,
		children: needs.children,
		maxSchoolKm: needs.maxSchoolKm,
		needsChildcare: needs.needsChildcare,
		isPartnerSeekingJob: needs.isPartnerSeekingJob,
		maxStationKm: needs.maxStationKm,
		maxAirportKm: needs.maxAirportKm,
		maxMetropoleKm: needs.maxMetropoleKm,
		wantsCoworking: needs.wantsCoworking,
		villagePreference: needs.villagePreference,
		languages: needs.languages
	};
}

/**
 * A row of `findMatchingCommunes` as the engine's raw commune (a partner village's services
 * known); `speakers`: the languages of each member known to live there (the languages criterion).
 */
export function toRawMatchingCommune(
	row: {
		code: string;
		name: string;
		lat: number | null;
		lon: number | null;
		level: ConnectionLevel | null;
		overrideLevel: ConnectionLevel | null;
		villageId: string | null;
		villageStatus: string | null;
		services: VillageServices | null;
	},
	speakers?: string[][]
): RawMatchingCommune {
	const services: VillageServices | null = row.villageId ? row.services : null;
	return {
		code: row.code,
		name: row.name,
		lat: row.lat,
		lon: row.lon,
		villageId: row.villageStatus === 'partner' ? row.villageId : null,
		connection: effectiveConnectionLevel({
			level: row.level ?? null,
			overrideLevel: row.overrideLevel ?? null
		}),
		schools: services?.schools ?? null,
		childcare: services ? villageChildcare(services) : null,
		hasStation: services?.station ?? null,
		stationDistanceKm: services?.stationDistanceKm ?? null,
		speakers
	};
}
