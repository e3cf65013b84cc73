import { requireOption, UsageError, type Command } from './command'

/** Services throw ApiError; the CLI prints its message (and the first field detail) on one line. */
export async function describeErrors<T>(work: () => Promise<T>): Promise<T> {
  const { ApiError } = await import('@/lib/api/errors')
  try {
    return await work()
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    const details = Array.isArray(error.details) ? error.details.map((d) => `${d.field}: ${d.message}`).join('; ') : ''
    throw new UsageError(details ? `${error.code}: ${details}` : `${error.code}: ${error.message}`)
  }
}

async function accountFor(email: string) {
  const { requireUserByEmail, accountContext } = await import('@/lib/services/accounts/users')
  return accountContext(await describeErrors(() => requireUserByEmail(email)))
}

const userCreateUsage = 'sage user:create --email E --password P [--verified]'
export const userCreateCommand: Command = {
  name: 'user:create',
  usage: userCreateUsage,
  summary: 'Create an account (verified right away with --verified).',
  options: { email: { type: 'string' }, password: { type: 'string' }, verified: { type: 'boolean' } },
  needsDatabase: true,
  run: async (values, output) => {
    const email = requireOption(values, 'email', userCreateUsage)
    const password = values.password
    if (typeof password !== 'string' || password === '') throw new UsageError(`--password is required. Usage: ${userCreateUsage}`)
    const { createUser } = await import('@/lib/services/accounts/users')
    const user = await describeErrors(() => createUser({ email, password, verified: values.verified === true }))
    output.info(`Created ${user.email} (${user.emailVerifiedAt ? 'verified' : 'not verified: log in and use the emailed link'}).`)
  },
}

const instanceCreateUsage = 'sage instance:create --email E --name N'
export const instanceCreateCommand: Command = {
  name: 'instance:create',
  usage: instanceCreateUsage,
  summary: "Create an instance in the account (state close until it is paired).",
  options: { email: { type: 'string' }, name: { type: 'string' } },
  needsDatabase: true,
  run: async (values, output) => {
    const ctx = await accountFor(requireOption(values, 'email', instanceCreateUsage))
    const name = requireOption(values, 'name', instanceCreateUsage)
    const { createInstance } = await import('@/lib/services/instances/instances')
    const instance = await describeErrors(() => createInstance({ ctx, input: { name } }))
    output.info(`Created instance ${instance.name} (${instance.state}).`)
  },
}

const instanceListUsage = 'sage instance:list --email E'
export const instanceListCommand: Command = {
  name: 'instance:list',
  usage: instanceListUsage,
  summary: "List the account's instances: name, state, created (tab-separated).",
  options: { email: { type: 'string' } },
  needsDatabase: true,
  run: async (values, output) => {
    const ctx = await accountFor(requireOption(values, 'email', instanceListUsage))
    const { listInstances } = await import('@/lib/services/instances/instances')
    for (const instance of await listInstances({ ctx })) output.info([instance.name, instance.state, instance.createdAt].join('\t'))
  },
}

const instanceDeleteUsage = 'sage instance:delete --email E --name N'
export const instanceDeleteCommand: Command = {
  name: 'instance:delete',
  usage: instanceDeleteUsage,
  summary: 'Delete an instance of the account.',
  options: { email: { type: 'string' }, name: { type: 'string' } },
  needsDatabase: true,
  run: async (values, output) => {
    const ctx = await accountFor(requireOption(values, 'email', instanceDeleteUsage))
    const name = requireOption(values, 'name', instanceDeleteUsage)
    const { deleteInstance } = await import('@/lib/services/instances/instances')
    await describeErrors(() => deleteInstance({ ctx, input: { name } }))
    output.info(`Deleted instance ${name}.`)
  },
}

const userDeleteUsage = 'sage user:delete --email E'
export const userDeleteCommand: Command = {
  name: 'user:delete',
  usage: userDeleteUsage,
  summary: 'Delete an account and all its data (instances logged out from WhatsApp first); emails the owner.',
  options: { email: { type: 'string' } },
  needsDatabase: true,
  run: async (values, output) => {
    const email = requireOption(values, 'email', userDeleteUsage)
    const { requireUserByEmail } = await import('@/lib/services/accounts/users')
    const user = await describeErrors(() => requireUserByEmail(email))
    const { eraseAccount } = await import('@/lib/services/accounts/deletion')
    await describeErrors(() => eraseAccount(user))
    output.info(`Deleted ${user.email} and all its data.`)
  },
}

export const accountCommands = [userCreateCommand, userDeleteCommand, instanceCreateCommand, instanceListCommand, instanceDeleteCommand]
