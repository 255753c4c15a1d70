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

/** Starts `bin/dialward serve --port 0` with `env` and waits until it prints its address. */
export function serveProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...process.env, DIALWARD_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dialward serve did not start: ${stderr}`)), 60_000)
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString()
      const m = /at (http:\/\/[\d.]+:\d+)/.exec(stderr)
      if (m) {
        clearTimeout(timer)
        resolve({
          url: m[1]!,
          child,
          stop: () =>
            new Promise((res) => {
              if (child.exitCode !== null) return res(child.exitCode)
              child.once('exit', (code) => res(code))
              child.kill('SIGTERM')
            }),
        })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`dialward serve exited ${code}: ${stderr}`))
    })
  })
}
