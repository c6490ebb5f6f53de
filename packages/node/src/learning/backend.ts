import { createRequire } from 'node:module'
import util from 'node:util'
import type * as TfCore from '@tensorflow/tfjs-core'

/** The tfjs backends fedchain can run on, fastest first. */
export const BACKEND_NAMES = ['node', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_NAMES)[number]

/** The outcome of trying to load one backend. */
export type BackendProbe =
  | { readonly name: BackendName; readonly available: true; readonly detail: string }
  | { readonly name: BackendName; readonly available: false; readonly reason: string }

const require = createRequire(import.meta.url)

/**
 * tfjs-node 4.x still calls `util.isNullOrUndefined` and `util.isArray`, which Node 23 removed.
 * Restoring them before it loads is the documented workaround.
 */
function polyfillLegacyUtil(): void {
  const legacy = util as unknown as Record<string, unknown>
  legacy['isNullOrUndefined'] ??= (value: unknown) => value === null || value === undefined
  legacy['isArray'] ??= Array.isArray
}

async function core(): Promise<typeof TfCore> {
  const tf = await import('@tensorflow/tfjs-core')
  // PROD silences tfjs's console banners (e.g. the cpu backend advertising tfjs-node) and skips
  // debug-only checks; fedchain reports the backend choice itself.
  tf.env().set('PROD', true)
  return tf
}

async function registerBackend(name: BackendName): Promise<string> {
  switch (name) {
    case 'node': {
      polyfillLegacyUtil()
      require.resolve('@tensorflow/tfjs-node')
      await import('@tensorflow/tfjs-node')
      return 'native libtensorflow'
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm')
      return `WebAssembly ${wasm.version_wasm}`
    }
    case 'cpu': {
      const cpu = await import('@tensorflow/tfjs-backend-cpu')
      return `plain JavaScript ${cpu.version_cpu}`
    }
  }
}

function describeFailure(name: BackendName, error: unknown): string {
  const code = (error as { code?: string }).code
  if (code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') {
    return name === 'node'
      ? '@tensorflow/tfjs-node is not installed (optional; its install needs a libtensorflow download)'
      : `the package for the ${name} backend is not installed; run make setup`
  }
  const message = error instanceof Error ? error.message : String(error)
  if (name === 'node' && message.includes('tfjs_binding.node')) {
    return '@tensorflow/tfjs-node is installed but its native addon is missing (its install step downloads libtensorflow, which did not run here)'
  }
  return message.split('\n')[0] ?? message
}

/**
 * Tries to load and initialise one backend, leaving it registered with tfjs when it works.
 * Never throws: a failure is reported with its reason.
 */
export async function probeBackend(name: BackendName): Promise<BackendProbe> {
  try {
    const tf = await core()
    const detail = await registerBackend(name)
    const backendName = name === 'node' ? 'tensorflow' : name
    if (!(await tf.setBackend(backendName))) {
      return { name, available: false, reason: `tfjs could not initialise the ${backendName} backend` }
    }
    // One tiny op proves the kernels run, not just that the module loaded.
    const sum = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0])
    if (sum !== 3) return { name, available: false, reason: `a test op returned ${sum} instead of 3` }
    return { name, available: true, detail }
  } catch (error) {
    return { name, available: false, reason: describeFailure(name, error) }
  }
}

/** Reads `FEDCHAIN_BACKEND`; undefined when unset. */
export function backendOverride(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const value = env['FEDCHAIN_BACKEND']?.trim()
  if (value === undefined || value === '') return undefined
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName
  throw new RangeError(`FEDCHAIN_BACKEND must be one of ${BACKEND_NAMES.join(', ')}; got '${value}'`)
}

/** The backend in use and the reason it was chosen. */
export interface BackendSelection {
  readonly name: BackendName
  readonly reason: string
  readonly probes: readonly BackendProbe[]
}

/**
 * Selects the fastest backend that loads here (`node`, then `wasm`, then `cpu`), or exactly the
 * one named by `FEDCHAIN_BACKEND`.
 * @throws {RangeError} when the override names an unknown backend
 * @throws {Error} when no backend (or the overridden one) loads
 */
export async function selectBackend(env: NodeJS.ProcessEnv = process.env): Promise<BackendSelection> {
  const override = backendOverride(env)
  const candidates = override === undefined ? BACKEND_NAMES : [override]
  const probes: BackendProbe[] = []
  for (const name of candidates) {
    const probe = await probeBackend(name)
    probes.push(probe)
    if (probe.available) {
      const reason =
        override === undefined
          ? probes.length === 1
            ? `fastest available (${probe.detail})`
            : `fallback (${probe.detail}); ${probes
                .filter((p) => !p.available)
                .map((p) => `${p.name}: ${p.available ? '' : p.reason}`)
                .join('; ')}`
          : `FEDCHAIN_BACKEND=${override}`
      return { name, reason, probes }
    }
  }
  const reasons = probes.map((p) => `${p.name}: ${p.available ? 'ok' : p.reason}`).join('; ')
  throw new Error(`no tfjs backend could be loaded (${reasons})`)
}
