import { z } from 'zod'

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1')

/** Deliveries in flight per worker unless WEBHOOK_CONCURRENCY says otherwise (the bench's floor runs at the same). */
export const DEFAULT_WEBHOOK_CONCURRENCY = 32

/** An unset variable and an empty one mean the same: not configured. */
const optionalText = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional())

/** WhatsApp Web versions are three numbers, each a uint32 in the login's ClientPayload (`userAgent.appVersion`). */
const waVersion = z
  .string()
  .regex(/^\d{1,10}\.\d{1,10}\.\d{1,10}$/, 'must be a WhatsApp Web version: three dot-separated numbers, like 2.3000.1023456789')
  .refine((value) => value.split('.').every((part) => !(Number(part) > 0xffffffff)), 'each of its three numbers must be below 4294967296')

const csv = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((part) => part.trim()).filter(Boolean))

/**
 * What the logger needs, parsed apart from the rest: lib/log.ts is imported by the launcher before
 * DATABASE_URL and the secrets exist, and logging must work then too.
 */
const LoggingSchema = z.object({
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Which process this is (web, worker, …), stamped on every log line; the launcher sets it. */
  SAGE_SERVICE: z.string().min(1).default('web'),
})

const EnvSchema = LoggingSchema.extend({
  DATABASE_URL: z.string().min(1, 'DATABASE_URL is required (npm start sets it for you)'),
  AUTH_SECRET: z.string().min(32).optional(),
  APP_URL: z.string().url().default('http://localhost:3000'),
  RESEND_API_KEY: z.string().optional(),
  RESEND_BASE_URL: z.string().url().optional(),
  EMAIL_FROM: z.string().default('SAGE-API <no-reply@sage-api.local>'),
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().optional(),
  SAGE_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'SAGE_ENCRYPTION_KEY must be 64 hex characters (32 bytes)')
    .optional(),
  TRUSTED_PROXIES: csv,
  WEBHOOK_ALLOW_PRIVATE_URLS: booleanFlag,
  /** Allow instance proxies on loopback or private addresses (an operator's own proxy; tests). */
  PROXY_ALLOW_PRIVATE_HOSTS: booleanFlag,
  WA_WS_URL: z.string().url().optional(),
  WA_ROOT_PUBLIC_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/).optional(),
  WA_MEDIA_CA: z.string().optional(),
  /**
   * The ffmpeg that converts voice notes to Ogg/Opus. Set: only this one is used (a missing binary
   * means no conversion: 415). Unset: the one @ffmpeg-installer ships, else `ffmpeg` on PATH.
   */
  FFMPEG_PATH: optionalText(z.string()),
  /** `host:port` standing in for WhatsApp's default media host (the simulator's, in tests: history-sync blobs come from there). */
  WA_MEDIA_HOST: z.string().optional(),
  /** Pins the WhatsApp Web client version every socket announces; unset: the version source below decides. */
  WA_VERSION: optionalText(waVersion),
  /**
   * Where the worker reads WhatsApp Web's current version (at start, every 24 h, and when WhatsApp
   * refuses the client as outdated). Unset: WhatsApp's own, through Baileys' fetchLatestWaWebVersion.
   */
  WA_VERSION_URL: optionalText(z.string().url('must be an absolute http(s) URL')),
  /**
   * Tests only: a file holding milliseconds by which the send policy's clock runs ahead, so a test
   * reaches "tomorrow" without waiting. Honoured only with WA_ROOT_PUBLIC_KEY (the simulator), never
   * against WhatsApp itself (workers/messaging/policy-clock.ts).
   */
  SAGE_TEST_CLOCK_FILE: z.string().optional(),
  /** How long each QR code lives before Baileys rotates it (Baileys' default: 60 s, then 20 s). */
  WA_QR_TIMEOUT_MS: z.coerce.number().int().positive().optional(),
  /**
   * How long a message that arrived undecryptable waits for the sender's readable resend before it is
   * announced as MESSAGES_UPSERT with messageType "undecryptable" (senders usually resend within seconds).
   */
  WA_UNDECRYPTABLE_GRACE_MS: z.coerce.number().int().positive().default(60_000),
  /** Delays between webhook attempts (ms), Svix-like: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. Tests shrink it. */
  WEBHOOK_RETRY_SCHEDULE_MS: z
    .string()
    .default('5000,300000,1800000,7200000,18000000,36000000,36000000')
    .transform((value) => value.split(',').map((part) => Number(part.trim())))
    .refine((delays) => delays.every((delay) => Number.isInteger(delay) && delay >= 0), 'a comma-separated list of milliseconds'),
  /** A delivery that has no 2xx within this many ms is a failed attempt. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  /** A delivery job locked longer than this belongs to a dead worker and is handed to another (at least once). */
  WEBHOOK_STALE_LOCK_MS: z.coerce.number().int().positive().default(120_000),
  /** An endpoint failing without a single success for this long is disabled and its owner emailed (3 days). */
  WEBHOOK_DISABLE_AFTER_MS: z.coerce.number().int().positive().default(3 * 24 * 3600 * 1000),
  /**
   * Deliveries in flight at once per worker process. An attempt holds its slot until its receiver
   * answers (up to WEBHOOK_TIMEOUT_MS), so this many slow receivers stall everyone's deliveries on
   * that worker; the slots cost no database connection while their POST is out.
   */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().positive().default(DEFAULT_WEBHOOK_CONCURRENCY),
  /** Sandbox instances (connected to the sandbox service instead of WhatsApp) may be created; on unless "false". */
  SANDBOX_ENABLED: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((value) => value !== 'false' && value !== '0'),
  /** The sandbox service's manager API (`npm run sandbox`); `npm start` runs one there. Loopback only. */
  SANDBOX_URL: z.string().url().default('http://127.0.0.1:3110'),
  /** Sandbox instances one account may have. */
  SANDBOX_MAX_INSTANCES: z.coerce.number().int().positive().default(5),
  /** Messages one sandbox instance may send (and make its contacts send) per minute. */
  SANDBOX_SENDS_PER_MINUTE: z.coerce.number().int().positive().default(60),
  /** Largest media (bytes, decoded) a sandbox contact may send. */
  SANDBOX_MAX_MEDIA_BYTES: z.coerce.number().int().positive().default(5 * 1024 * 1024),
  /** Demo only: the simulator's control API, which the virtual phone page drives. */
  WA_SIMULATOR_CONTROL_URL: z.string().url().optional(),
  /** How long a send waits for the worker before answering 504 (the message is then cancelled or sent exactly once). */
  SEND_TIMEOUT_MS: z.coerce.number().int().min(500).max(120_000).default(20_000),
  SAGE_ENV: z.enum(['development', 'test', 'production']).default('production'),
  WORKER_CAPACITY: z.coerce.number().int().positive().default(500),
  /**
   * Connections in this process's postgres.js pool (its LISTEN connection comes on top; a worker's
   * webhook queue has its own pool of min(WEBHOOK_CONCURRENCY, 10) + 2: queuePoolSize in workers/webhooks/queue-runner.ts). Unset: DEFAULT_POOL_SIZE for its role.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).optional(),
  /** Bearer token that GET /metrics (web) and the worker's metrics listener require; unset: /metrics is a 404. */
  METRICS_TOKEN: z.string().min(16, 'Use at least 16 characters').optional(),
  /** The worker's Prometheus listener (GET /metrics, same METRICS_TOKEN); unset: no listener. 0 picks a free port (logged). */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** `npm run bench` only: turns on /bench-noop, the floor the benchmarks measure against. */
  SAGE_BENCH: booleanFlag,
  /**
   * Media in object storage (any S3-compatible store): set S3_BUCKET and the bytes of sent and
   * received media go to the bucket instead of Postgres (lib/media/bucket.ts). S3_ENDPOINT for a
   * store other than AWS (path-style addressing); the keys fall back to the SDK's own chain.
   */
  S3_BUCKET: optionalText(z.string().min(3)),
  S3_ENDPOINT: optionalText(z.string().url('must be an absolute http(s) URL')),
  S3_REGION: optionalText(z.string()),
  S3_ACCESS_KEY_ID: optionalText(z.string()),
  S3_SECRET_ACCESS_KEY: optionalText(z.string()),
  /** Stops counting API calls per key and instance (the Usage pages then stay empty); the bench measures what counting costs with it. */
  USAGE_COUNTING_OFF: booleanFlag,
})

/**
 * Pool sizes by process role, chosen so that two web processes and two workers stay well under
 * Postgres' default 100 connections: 2 × (10 + 1) + 2 × (6 + 1 + 10 + 2) = 60 at most (README,
 * "Several web processes and workers on one Postgres", gives the formula).
 */
export const DEFAULT_POOL_SIZE = { web: 10, worker: 6 } as const

export type Config = Omit<z.infer<typeof EnvSchema>, 'DATABASE_POOL_SIZE'> & { DATABASE_POOL_SIZE: number; isProduction: boolean; version: string }
export type LoggingConfig = z.infer<typeof LoggingSchema>

let cached: Config | undefined
let cachedLogging: LoggingConfig | undefined

function parseEnvironment<T extends z.ZodType>(schema: T): z.infer<T> {
  const parsed = schema.safeParse(process.env)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
    throw new Error(`Invalid configuration: ${problems.join('; ')}`)
  }
  return parsed.data
}

/** The logger's settings only: never requires DATABASE_URL or any secret. */
export function loggingConfig(): LoggingConfig {
  cachedLogging ??= parseEnvironment(LoggingSchema)
  return cachedLogging
}

/** Parsed lazily: `next build` imports modules without a runtime environment. */
export function config(): Config {
  if (cached) return cached
  const parsed = parseEnvironment(EnvSchema)
  cached = {
    ...parsed,
    DATABASE_POOL_SIZE: parsed.DATABASE_POOL_SIZE ?? (parsed.SAGE_SERVICE === 'worker' ? DEFAULT_POOL_SIZE.worker : DEFAULT_POOL_SIZE.web),
    isProduction: parsed.SAGE_ENV === 'production',
    version: APP_VERSION,
  }
  return cached
}

export const APP_VERSION = '0.1.0'
