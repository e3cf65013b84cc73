// Debian's chromium driven by playwright-core; never a downloaded browser.
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll } from 'vitest'
import { projectRoot } from '@/lib/runtime/paths'

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
  afterAll(() => browser.close())
  return browser
}

export const screenshotDir = path.join(projectRoot, 'screenshots')

export function screenshotPath(name: string): string {
  fs.mkdirSync(screenshotDir, { recursive: true })
  return path.join(screenshotDir, `${name}.png`)
}
