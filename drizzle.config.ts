import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration to drizzle/ from the schema; give it a name:
// `npm run db:generate -- --name add-events`. Migrations run at start (src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
});
