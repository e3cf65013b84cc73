// Which ffmpeg converts voice notes: FFMPEG_PATH when set (and only it), else the static binary the
// npm package @ffmpeg-installer ships for this platform, else `ffmpeg` on PATH (Debian's package).
// Looked up on every use, not once: a binary that appears or goes away is noticed without a restart.
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import path from 'node:path'
import { config } from '@/lib/config'

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** The platform package is optional (npm installs only this platform's), so the import may fail. */
async function installedBinary(): Promise<string | undefined> {
  try {
    return (await import('@ffmpeg-installer/ffmpeg')).default.path
  } catch {
    return undefined
  }
}

async function onPath(name: string): Promise<string | undefined> {
  // PATH is the operating system's, not our configuration: read where the search happens.
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name)
    if (await isExecutable(candidate)) return candidate
  }
  return undefined
}

/** The ffmpeg binary to run, or undefined when there is none. */
export async function findFfmpeg(): Promise<string | undefined> {
  const configured = config().FFMPEG_PATH
  if (configured) return configured.includes('/') ? ((await isExecutable(configured)) ? configured : undefined) : onPath(configured)
  const installed = await installedBinary()
  if (installed && (await isExecutable(installed))) return installed
  return onPath('ffmpeg')
}

export const NO_FFMPEG_MESSAGE =
  'Voice notes that are not Ogg/Opus are converted with ffmpeg, and none is installed on this server (install @ffmpeg-installer/ffmpeg or ffmpeg, or set FFMPEG_PATH); send Ogg/Opus audio instead.'
