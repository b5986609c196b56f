/**
 * CloudFormation's template quotas ("CloudFormation quotas" in the user guide),
 * the ones a template can break by itself.
 */
export const LIMITS = {
  /** A template sent inline as TemplateBody, as deploy does. */
  templateBodyBytes: 51_200,
  resources: 500,
  parameters: 200,
  outputs: 200,
  mappings: 200,
  mappingAttributes: 200,
  /** Logical ids, parameter, output, mapping and condition names. */
  nameLength: 255,
  descriptionBytes: 1024,
  parameterDescriptionBytes: 4000,
  parameterValueBytes: 4096,
  exportNameLength: 255,
} as const;

/** Logical ids and the names of parameters, outputs and mappings. */
export const LOGICAL_ID = /^[A-Za-z0-9]+$/;
