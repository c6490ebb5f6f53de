/** A one-line progress bar redrawn in place; silent when disabled or not on a TTY. */
export interface ProgressBar {
  update(done: number, note?: string): void
  /** Writes a plain line above the bar. */
  log(line: string): void
  done(): void
}

export interface ProgressBarInit {
  readonly total: number
  readonly label: string
  /** @default process.stderr */
  readonly stream?: NodeJS.WriteStream
  /** @default stream.isTTY */
  readonly enabled?: boolean
  /** @default 24 */
  readonly width?: number
}

/** Creates a progress bar on stderr (stdout stays clean for `--json`). */
export function createProgressBar(init: ProgressBarInit): ProgressBar {
  const stream = init.stream ?? process.stderr
  const enabled = init.enabled ?? stream.isTTY === true
  const width = init.width ?? 24
  let drawn = false
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K')
    drawn = false
  }
  let last = ''
  return {
    update(done, note = '') {
      if (!enabled) return
      const filled = Math.round((width * Math.min(done, init.total)) / init.total)
      last = `${init.label} ${String(done).padStart(String(init.total).length)}/${init.total} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${note}`
      clear()
      stream.write(last)
      drawn = true
    },
    log(line) {
      if (!enabled) return
      clear()
      stream.write(`${line}\n`)
      if (last !== '') {
        stream.write(last)
        drawn = true
      }
    },
    done() {
      if (!enabled) return
      clear()
    },
  }
}
