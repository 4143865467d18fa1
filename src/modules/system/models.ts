import { z } from 'zod';

export const graphInfoSchema = z.object({
  neo4jVersion: z.string(),
  neo4jEdition: z.string(),
  nodeCount: z.number().int(),
  relationshipCount: z.number().int(),
  corpusVersion: z.string().nullable(),
  corpusLoadedAt: z.string().nullable(),
});

/** Facts about the database itself: what the `about` field answers. */
export type GraphInfo = z.output<typeof graphInfoSchema>;
