// zod → JSON Schema (zod 4's own z.toJSONSchema), and the field tables the docs page shows from it.
import { z } from 'zod'

export type JsonSchema = {
  type?: string | string[]
  description?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  default?: unknown
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  format?: string
  additionalProperties?: boolean | JsonSchema
  [key: string]: unknown
}

/**
 * Requests are documented as clients send them (io: 'input': defaults optional, before transforms),
 * responses as we send them. Transforms and refinements have no JSON Schema; their input shape stands.
 */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as JsonSchema
  return rest
}

export type FieldRow = { name: string; type: string; required: boolean; description: string; constraints: string[] }

function typeOf(schema: JsonSchema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const)
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ')
  const variants = schema.anyOf ?? schema.oneOf
  if (variants) return [...new Set(variants.map(typeOf))].join(' | ')
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []
  return (
    types
      .map((type) => (type === 'array' ? `${schema.items ? typeOf(schema.items) : 'any'}[]` : type === 'integer' ? 'integer' : type))
      .join(' | ') || 'any'
  )
}

function constraintsOf(schema: JsonSchema): string[] {
  const out: string[] = []
  const range = (min?: number, max?: number, unit = '') => {
    if (min !== undefined && max !== undefined) out.push(`${min}–${max}${unit}`)
    else if (min !== undefined) out.push(`≥ ${min}${unit}`)
    else if (max !== undefined) out.push(`≤ ${max}${unit}`)
  }
  if (schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'))) {
    if (!(schema.minLength === 1 && schema.maxLength === undefined)) range(schema.minLength, schema.maxLength, ' chars')
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    if (!(schema.minimum !== undefined && schema.minimum <= -Number.MAX_SAFE_INTEGER)) range(schema.minimum, schema.maximum)
  }
  if (schema.type === 'array') range(schema.minItems, schema.maxItems, ' items')
  if (schema.format && schema.format !== 'uuid') out.push(schema.format)
  if (schema.default !== undefined) out.push(`default ${JSON.stringify(schema.default)}`)
  return out
}

/** One row per field, nested ones as `parent.child` and `list[].child`. */
export function fieldRows(schema: JsonSchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = []
  const required = new Set(schema.required ?? [])
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const full = prefix + name
    rows.push({ name: full, type: typeOf(property), required: required.has(name), description: property.description ?? '', constraints: constraintsOf(property) })
    if (property.properties) rows.push(...fieldRows(property, `${full}.`))
    else if (property.items?.properties) rows.push(...fieldRows(property.items, `${full}[].`))
  }
  return rows
}
