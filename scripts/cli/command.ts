import { parseArgs, type ParseArgsConfig } from 'node:util'

/** Thrown for a user mistake: printed as one line on stderr, exit status 2. */
export class UsageError extends Error {}

export type CliOutput = { info: (line: string) => void; secret: (value: string) => void }

export type Command = {
  name: string
  usage: string
  summary: string
  options?: ParseArgsConfig['options']
  needsDatabase?: boolean
  run: (values: Record<string, string | boolean | undefined>, output: CliOutput) => Promise<void>
}

export function parseCommandArgs(command: Command, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: command.options ?? {}, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Usage: ${command.usage}`)
  }
}

export function requireOption(values: Record<string, string | boolean | undefined>, name: string, usage: string): string {
  const value = values[name]
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required. Usage: ${usage}`)
  return value.trim()
}
