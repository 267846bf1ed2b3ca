import { serveOutlines } from '../outlines.server.ts';
import type { RequestHandler } from './$types';

/** The public programme's commune outlines as GeoJSON (what Leaflet draws), cacheable for ever by version. */
export const GET: RequestHandler = (event) => serveOutlines(event, 'json');
