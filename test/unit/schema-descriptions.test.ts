import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLSchema,
} from 'graphql';
import { loadTypeDefs } from '../../src/schema';

/** Every place in the schema a researcher reads in the playground's documentation, without a description. */
export function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const blank = (text: string | null | undefined) => !text || text.trim().length === 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || (isScalarType(type) && isSpecifiedScalarType(type))) continue;
    if (blank(type.description)) missing.push(`type ${type.name}`);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      // Object.values cannot infer one element type from the union of the three field maps.
      const fields = Object.values<GraphQLField<unknown, unknown> | GraphQLInputField>(type.getFields());
      for (const field of fields) {
        if (blank(field.description)) missing.push(`field ${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (blank(arg.description)) missing.push(`argument ${type.name}.${field.name}(${arg.name}:)`);
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (blank(value.description)) missing.push(`enum value ${type.name}.${value.name}`);
      }
    }
    if (isUnionType(type) && type.getTypes().length === 0) missing.push(`union ${type.name} has no members`);
  }
  return missing.sort();
}

describe('the schema reads as a documented reference', () => {
  const schema = buildSchema(loadTypeDefs().join('\n'));

  it('describes every type, field, argument and enum value', () => {
    expect(undocumented(schema)).toEqual([]);
  });

  it('would notice an undocumented field, argument or enum value', () => {
    const bad = buildSchema(`
      "Documented."
      type Query { "Documented." ok: Int, missing(arg: Int): Int, "Documented." kind: Kind }
      "Documented."
      enum Kind { "Documented." A B }
    `);
    expect(undocumented(bad)).toEqual(['argument Query.missing(arg:)', 'enum value Kind.B', 'field Query.missing']);
  });
});
