/**
 * The difference types of a JSON Schema diff, named after Confluent's `json/diff/Difference.Type`, and which of
 * them a reader tolerates. A diff always runs with the *original* schema as the writer and the *update* as the
 * reader: BACKWARD compares (old → new), FORWARD (new → old).
 */

/** Changes a reader of the update can always handle (Confluent's STRICT policy, the default). */
export const COMPATIBLE_STRICT = [
  'ID_CHANGED',
  'DESCRIPTION_CHANGED',
  'TITLE_CHANGED',
  'DEFAULT_CHANGED',
  'SCHEMA_REMOVED',
  'TYPE_EXTENDED',
  'MAX_LENGTH_REMOVED',
  'MAX_LENGTH_INCREASED',
  'MIN_LENGTH_REMOVED',
  'MIN_LENGTH_DECREASED',
  'PATTERN_REMOVED',
  'FORMAT_REMOVED',
  'MAXIMUM_REMOVED',
  'MAXIMUM_INCREASED',
  'MINIMUM_REMOVED',
  'MINIMUM_DECREASED',
  'EXCLUSIVE_MAXIMUM_REMOVED',
  'EXCLUSIVE_MAXIMUM_INCREASED',
  'EXCLUSIVE_MINIMUM_REMOVED',
  'EXCLUSIVE_MINIMUM_DECREASED',
  'MULTIPLE_OF_REMOVED',
  'MULTIPLE_OF_REDUCED',
  'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED',
  'REQUIRED_ATTRIBUTE_REMOVED',
  'MAX_PROPERTIES_REMOVED',
  'MAX_PROPERTIES_INCREASED',
  'MIN_PROPERTIES_REMOVED',
  'MIN_PROPERTIES_DECREASED',
  'ADDITIONAL_PROPERTIES_ADDED',
  'ADDITIONAL_PROPERTIES_EXTENDED',
  'DEPENDENCY_ARRAY_REMOVED',
  'DEPENDENCY_ARRAY_NARROWED',
  'DEPENDENCY_SCHEMA_REMOVED',
  'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'UNEVALUATED_PROPERTIES_ADDED',
  'UNEVALUATED_PROPERTIES_EXTENDED',
  'MAX_ITEMS_REMOVED',
  'MAX_ITEMS_INCREASED',
  'MIN_ITEMS_REMOVED',
  'MIN_ITEMS_DECREASED',
  'MAX_CONTAINS_REMOVED',
  'MAX_CONTAINS_INCREASED',
  'MIN_CONTAINS_REMOVED',
  'MIN_CONTAINS_DECREASED',
  'CONTAINS_REMOVED',
  'UNIQUE_ITEMS_REMOVED',
  'ADDITIONAL_ITEMS_ADDED',
  'ADDITIONAL_ITEMS_EXTENDED',
  'UNEVALUATED_ITEMS_ADDED',
  'UNEVALUATED_ITEMS_EXTENDED',
  'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
  'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL',
  'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ENUM_ARRAY_EXTENDED',
  'COMBINED_TYPE_EXTENDED',
  'PRODUCT_TYPE_NARROWED',
  'SUM_TYPE_EXTENDED',
  'NOT_TYPE_NARROWED',
  'CONDITIONAL_REMOVED',
] as const

/** Changes that become acceptable with `compatibilityPolicy: LENIENT`. */
export const COMPATIBLE_LENIENT_ONLY = [
  'ADDITIONAL_PROPERTIES_REMOVED',
  'ADDITIONAL_PROPERTIES_NARROWED',
  'UNEVALUATED_PROPERTIES_REMOVED',
  'UNEVALUATED_PROPERTIES_NARROWED',
  'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL',
  'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
] as const

/** Changes that can break a reader under every policy. */
export const INCOMPATIBLE = [
  'SCHEMA_ADDED',
  'TYPE_NARROWED',
  'TYPE_CHANGED',
  'MAX_LENGTH_ADDED',
  'MAX_LENGTH_DECREASED',
  'MIN_LENGTH_ADDED',
  'MIN_LENGTH_INCREASED',
  'PATTERN_ADDED',
  'PATTERN_CHANGED',
  'FORMAT_ADDED',
  'FORMAT_CHANGED',
  'MAXIMUM_ADDED',
  'MAXIMUM_DECREASED',
  'MINIMUM_ADDED',
  'MINIMUM_INCREASED',
  'EXCLUSIVE_MAXIMUM_ADDED',
  'EXCLUSIVE_MAXIMUM_DECREASED',
  'EXCLUSIVE_MINIMUM_ADDED',
  'EXCLUSIVE_MINIMUM_INCREASED',
  'MULTIPLE_OF_ADDED',
  'MULTIPLE_OF_EXPANDED',
  'MULTIPLE_OF_CHANGED',
  'REQUIRED_ATTRIBUTE_ADDED',
  'MAX_PROPERTIES_ADDED',
  'MAX_PROPERTIES_DECREASED',
  'MIN_PROPERTIES_ADDED',
  'MIN_PROPERTIES_INCREASED',
  'DEPENDENCY_ARRAY_ADDED',
  'DEPENDENCY_ARRAY_EXTENDED',
  'DEPENDENCY_ARRAY_CHANGED',
  'DEPENDENCY_SCHEMA_ADDED',
  'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  'MAX_ITEMS_ADDED',
  'MAX_ITEMS_DECREASED',
  'MIN_ITEMS_ADDED',
  'MIN_ITEMS_INCREASED',
  'MAX_CONTAINS_ADDED',
  'MAX_CONTAINS_DECREASED',
  'MIN_CONTAINS_ADDED',
  'MIN_CONTAINS_INCREASED',
  'CONTAINS_ADDED',
  'UNIQUE_ITEMS_ADDED',
  'ADDITIONAL_ITEMS_REMOVED',
  'ADDITIONAL_ITEMS_NARROWED',
  'UNEVALUATED_ITEMS_REMOVED',
  'UNEVALUATED_ITEMS_NARROWED',
  'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
  'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  'ENUM_ARRAY_NARROWED',
  'ENUM_ARRAY_CHANGED',
  'COMBINED_TYPE_CHANGED',
  'PRODUCT_TYPE_EXTENDED',
  'SUM_TYPE_NARROWED',
  'COMBINED_TYPE_SUBSCHEMAS_CHANGED',
  'NOT_TYPE_EXTENDED',
  'CONDITIONAL_ADDED',
  'CONDITIONAL_CHANGED',
] as const

export type DifferenceType =
  (typeof COMPATIBLE_STRICT)[number] | (typeof COMPATIBLE_LENIENT_ONLY)[number] | (typeof INCOMPATIBLE)[number]

export interface Difference {
  type: DifferenceType
  /** JSON pointer into the schemas, e.g. `#/properties/foo/maxLength`. */
  path: string
}

export type CompatibilityPolicy = 'STRICT' | 'LENIENT'

const strict = new Set<DifferenceType>(COMPATIBLE_STRICT)
const lenient = new Set<DifferenceType>([...COMPATIBLE_STRICT, ...COMPATIBLE_LENIENT_ONLY])

export function isCompatibleDifference(type: DifferenceType, policy: CompatibilityPolicy = 'STRICT'): boolean {
  return (policy === 'LENIENT' ? lenient : strict).has(type)
}

export function incompatibleDifferences(
  differences: Difference[],
  policy: CompatibilityPolicy = 'STRICT',
): Difference[] {
  return differences.filter((d) => !isCompatibleDifference(d.type, policy))
}

const descriptions: Partial<Record<DifferenceType, string>> = {
  TYPE_CHANGED: 'A type at path {path} is different between the new schema and the old schema',
  TYPE_NARROWED: 'The type at path {path} in the new schema is narrower than the old schema',
  SCHEMA_ADDED: 'A schema was added at path {path} where the old schema accepted anything',
  REQUIRED_ATTRIBUTE_ADDED: 'The new schema makes a property required at path {path} without a default',
  REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL:
    'A required property was added at path {path} to an open content model in the new schema',
  REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL:
    'A required property without a default was added at path {path} in the new schema',
  OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL:
    'An optional property was added at path {path} to an open content model in the new schema',
  PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL:
    'A property was removed at path {path} from a closed content model in the new schema',
  ENUM_ARRAY_NARROWED: 'The enum at path {path} in the new schema is missing values of the old schema',
  ENUM_ARRAY_CHANGED: 'The enum at path {path} is different between the new schema and the old schema',
  ADDITIONAL_PROPERTIES_REMOVED: 'The new schema disallows additional properties at path {path}',
  ADDITIONAL_PROPERTIES_NARROWED: 'The new schema narrows additional properties at path {path}',
  COMBINED_TYPE_SUBSCHEMAS_CHANGED: 'The subschemas of the combined schema at path {path} are not compatible',
  SUM_TYPE_NARROWED: 'The new schema has fewer oneOf/anyOf alternatives at path {path}',
  PRODUCT_TYPE_EXTENDED: 'The new schema has more allOf subschemas at path {path}',
  COMBINED_TYPE_CHANGED: 'The combination keyword at path {path} changed in the new schema',
}

/** A human-readable sentence naming the path, in the spirit of Confluent's messages. */
export function describeDifference(difference: Difference): string {
  const template = descriptions[difference.type]
  const path = `'${difference.path}'`
  if (template) return template.replace('{path}', path)
  return `${difference.type.toLowerCase().replaceAll('_', ' ')} at path ${path}`
}
