import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const BIN = fileURLToPath(new URL('../../bin/dialward', import.meta.url))

/** A `dialward serve` child process. */
export interface ServerProcess {
  readonly url: string
  readonly child: ChildProcess
  /** SIGTERM, then the exit code (the server drains and exits 0). */
  stop(): Promise<number | null>
}

/** A child started by {@link awaitBanner}: what it printed up to its banner, and how to stop it. */
export interface BannerProcess {
  readonly child: ChildProcess
  /** Everything the watched stream carried up to and including the banner. */
  readonly output: string
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>
}

/**
 * Waits until `child` writes a banner on `stream` (`ready` says when the text so far holds it),
 * failing after `timeoutMs` or when the child exits first, with everything it wrote.
 */
export function awaitBanner(child: ChildProcess, stream: 'stdout' | 'stderr', ready: (text: string) => boolean, what: string, timeoutMs: number): Promise<BannerProcess> {
  let watched = ''
  let other = ''
  child[stream === 'stdout' ? 'stderr' : 'stdout']?.on('data', (d: Buffer) => (other += d.toString()))
  const stop = (): Promise<number | null> =>
    new Promise((res) => {
      if (child.exitCode !== null) return res(child.exitCode)
      child.once('exit', (code) => res(code))
      child.kill('SIGTERM')
    })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${watched}${other}`)), timeoutMs)
    child[stream]!.on('data', (d: Buffer) => {
      watched += d.toString()
      if (ready(watched)) {
        clearTimeout(timer)
        resolve({ child, output: watched, stop })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited ${code}: ${watched}${other}`))
    })
  })
}

const ADDRESS = /at (http:\/\/[\d.]+:\d+)/

/** Starts `bin/dialward serve --port 0` with `env` and waits until it prints its address. */
export async function serveProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...process.env, DIALWARD_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  const started = await awaitBanner(child, 'stderr', (text) => ADDRESS.test(text), 'dialward serve', 60_000)
  return { url: ADDRESS.exec(started.output)![1]!, child, stop: started.stop }
}
