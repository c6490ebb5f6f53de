/**
 * The child processes of `fedchain simulate --processes`: each one runs the `fedchain` CLI with its
 * output in `<logs>/<name>.log`, so a failure can always point at a log. The supervisor knows how
 * to start, wait for, stop and reap children; what the children are for (a chain, node daemons)
 * and in which order they start and stop is the coordinator's business (`process-coordinator.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, openSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ProcessCoordinatorError } from './process-errors.js'

/** A long-running child the supervisor started (and must stop). */
export interface Child {
  readonly name: string
  readonly process: ChildProcess
  readonly log: string
  readonly exit: Promise<void>
  /** Killed on purpose (`kills`): its exit does not fail the run. */
  killed: boolean
}

/** Options of {@link createSupervisor}. */
export interface SupervisorInit {
  /** The fedchain CLI entry point every child runs with this process's `node`. */
  readonly cli: string
  /** Every child's environment. */
  readonly env: NodeJS.ProcessEnv
  /** The directory of the children's `<name>.log` (and `runToEnd`'s `<name>.json`); it must exist before the first child starts. */
  readonly logs: string
  /** How long `waitFor` waits for a child to be ready, ms. */
  readonly startTimeoutMs: number
  /** How long `terminate` waits after SIGTERM before SIGKILL, ms. */
  readonly killTimeoutMs: number
}

/** Starts `fedchain` children, waits for them and stops them; see {@link createSupervisor}. */
export interface Supervisor {
  /** Starts a long-running child with its stdout and stderr appended to `<logs>/<name>.log`. */
  spawnChild(name: string, args: readonly string[], extraEnv?: NodeJS.ProcessEnv): Child
  /** Runs a short-lived CLI command to completion and returns its stdout's last line as JSON. */
  runToEnd(name: string, args: readonly string[]): Promise<Record<string, unknown>>
  /** Polls `ready` until it holds; fails when `child` exits first or the start timeout passes. */
  waitFor(child: Child, what: string, ready: () => Promise<boolean>): Promise<void>
  /** The last lines of the child's log, for an error's details. */
  tail(child: Child): Promise<string>
  /** Stops the child with SIGTERM, then SIGKILL if it has not exited after the kill timeout. */
  terminate(child: Child): Promise<void>
  /**
   * Fails as soon as any child died: a round cannot end without its chain and nodes. A child
   * {@link Child.killed} on purpose does not count.
   */
  requireAlive(): Promise<void>
  /** Every long-running child started so far, in start order, exited ones included. */
  children(): readonly Child[]
  /** Drops the last-resort SIGKILL on process exit: call once every child was terminated. */
  release(): void
}

/** Whether the child has neither exited nor been killed by a signal. */
export const isRunning = (child: Child): boolean => child.process.exitCode === null && child.process.signalCode === null

/** The child's whole log; empty while it does not exist yet. */
export const readLog = (child: Child): Promise<string> => readFile(child.log, 'utf8').catch(() => '')

/**
 * A supervisor of `fedchain` CLI children. `runToEnd` commands are awaited to their end, so only
 * `spawnChild` children are tracked: those `children()` lists, `requireAlive` checks and the exit
 * hook kills.
 */
export function createSupervisor(init: SupervisorInit): Supervisor {
  const { cli, env, logs, startTimeoutMs, killTimeoutMs } = init
  const children: Child[] = []
  // Last resort when this process exits without stop() (an uncaught error, process.exit): no child
  // may outlive the coordinator. Synchronous, as 'exit' handlers must be.
  const killAll = () => {
    for (const child of children) if (isRunning(child)) child.process.kill('SIGKILL')
  }

  function spawnChild(name: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Child {
    const log = join(logs, `${name}.log`)
    const fd = openSync(log, 'a')
    try {
      const child = spawn(process.execPath, [cli, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', fd, fd] })
      const exit = new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.once('error', () => resolve())
      })
      const entry: Child = { name, process: child, log, exit, killed: false }
      if (children.length === 0) process.once('exit', killAll)
      children.push(entry)
      return entry
    } finally {
      closeSync(fd)
    }
  }

  async function tail(child: Child): Promise<string> {
    const text = await readLog(child)
    return text.split('\n').slice(-15).join('\n')
  }

  async function runToEnd(name: string, args: readonly string[]): Promise<Record<string, unknown>> {
    const out = join(logs, `${name}.json`)
    const fd = openSync(out, 'w')
    const errLog = join(logs, `${name}.log`)
    const errFd = openSync(errLog, 'a')
    let child: ChildProcess
    try {
      child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', fd, errFd] })
    } finally {
      closeSync(fd)
      closeSync(errFd)
    }
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c))
      child.once('error', () => resolve(-1))
    })
    if (code !== 0) {
      throw new ProcessCoordinatorError('PROCESS_START_FAILED', `fedchain ${args.slice(0, 2).join(' ')} (${name}) exited with ${String(code)}`, `see ${errLog}`, {
        log: (await readFile(errLog, 'utf8').catch(() => '')).slice(-2000),
      })
    }
    const last = (await readFile(out, 'utf8')).trim().split('\n').at(-1) ?? '{}'
    return JSON.parse(last) as Record<string, unknown>
  }

  async function waitFor(child: Child, what: string, ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + startTimeoutMs
    for (;;) {
      if (await ready()) return
      if (!isRunning(child)) {
        throw new ProcessCoordinatorError('PROCESS_EXITED', `${child.name} exited before ${what}`, `see ${child.log}`, { log: await tail(child) })
      }
      if (Date.now() > deadline) {
        throw new ProcessCoordinatorError('PROCESS_START_FAILED', `timed out after ${startTimeoutMs} ms waiting for ${what}`, `see ${child.log}`, { log: await tail(child) })
      }
      await sleep(100)
    }
  }

  async function terminate(child: Child): Promise<void> {
    if (!isRunning(child)) return
    child.process.kill('SIGTERM')
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), killTimeoutMs).unref())
    if ((await Promise.race([child.exit.then(() => 'exited' as const), timer])) === 'timeout' && isRunning(child)) {
      child.process.kill('SIGKILL')
      await child.exit
    }
  }

  async function requireAlive(): Promise<void> {
    const dead = children.find((child) => !child.killed && !isRunning(child))
    if (dead !== undefined) {
      throw new ProcessCoordinatorError('PROCESS_EXITED', `${dead.name} (pid ${String(dead.process.pid)}) exited during the run`, `see ${dead.log}`, { log: await tail(dead) })
    }
  }

  return {
    spawnChild,
    runToEnd,
    waitFor,
    tail,
    terminate,
    requireAlive,
    children: () => children,
    release: () => {
      process.off('exit', killAll)
    },
  }
}
