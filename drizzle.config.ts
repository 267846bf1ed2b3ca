import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` is used: it writes SQL migrations that are committed
// and applied by `soho db migrate` / at start-up on both PGlite and PostgreSQL.
export default defineConfig({
	dialect: 'postgresql',
	schema: './src/lib/server/db/schema/index.ts',
	out: './src/lib/server/db/migrations',
	casing: 'snake_case'
});
