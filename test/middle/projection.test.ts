import { GraphDataError } from '../../src/errors';
import { createRepositories } from '../../src/modules/repositories';
import { node, stubDatabase } from './stub-database';

/**
 * A repository can be asked for some properties of an entity instead of its whole model: the statement
 * reads only those, and the row is decoded by the same model, property by property.
 */
describe('reading an entity with only some of its properties', () => {
  it('reads only the named properties and decodes them by the label’s model', async () => {
    const database = stubDatabase(({ params }) =>
      [{ id: 'state:KAZ', node: node('State', { id: 'state:KAZ', name: 'Kazakhstan' }) }].filter(
        (row) => Array.isArray(params.ids) && params.ids.includes(row.id),
      ),
    );
    const repositories = createRepositories(database.forRequest('projection'));

    const state = await repositories.common.nodeWith('state:KAZ', ['State'], ['name']);

    expect(state).toEqual({ __label: 'State', id: 'state:KAZ', name: 'Kazakhstan' });
    expect(database.statements[0]?.cypher).toContain('n {.id, .name}');
    expect(await repositories.common.nodeWith('state:NOPE', ['State'], ['name'])).toBeNull();
  });

  it('answers null for an entity of another kind, as the full-model lookup does', async () => {
    const database = stubDatabase(() => [
      { id: 'treaty:CRC', node: node('Treaty', { id: 'treaty:CRC', shortName: 'CRC' }) },
    ]);
    const repositories = createRepositories(database.forRequest('projection'));
    expect(await repositories.common.nodeWith('treaty:CRC', ['State'], ['name'])).toBeNull();
  });

  it('refuses a projected property the model requires but the graph lacks', async () => {
    const database = stubDatabase(() => [{ id: 'state:KAZ', node: node('State', { id: 'state:KAZ', name: null }) }]);
    const repositories = createRepositories(database.forRequest('projection'));
    await expect(repositories.common.nodeWith('state:KAZ', ['State'], ['name'])).rejects.toBeInstanceOf(GraphDataError);
  });
});
