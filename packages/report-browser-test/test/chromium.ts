import { existsSync } from 'node:fs'

/** Debian's Chromium, installed by `make setup` (scripts/bootstrap.sh) when it can. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Flags for a quiet, offline headless run as root inside a container. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
] as const

/** Why the browser test cannot run here, or undefined when it can. */
export function chromiumMissingReason(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `${CHROMIUM_PATH} is missing: run \`make setup\` as root (it installs Debian's chromium) or \`apt-get install -y chromium\``
}
