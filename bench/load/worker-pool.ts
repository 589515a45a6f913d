import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { WorkerApi, WorkerOp, WorkerRequest, WorkerResponse } from './protocol.js';
import { REPO_ROOT } from './server-process.js';

type Result<Op extends WorkerOp> = Awaited<ReturnType<WorkerApi[Op]>>;

/** Client worker processes (bench/load/client-worker.ts) and typed calls into them. */
export class WorkerPool {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  private constructor(private readonly children: ChildProcess[]) {
    for (const child of children) {
      child.on('message', (message: WorkerResponse) => {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if ('error' in message) call.reject(new Error(`client worker ${child.pid}: ${message.error}`));
        else call.resolve(message.result);
      });
      child.once('exit', (code, signal) => {
        // A worker that dies takes its answers with it; nothing would ever settle them otherwise.
        for (const [id, call] of this.pending) {
          this.pending.delete(id);
          call.reject(new Error(`client worker ${child.pid} exited (${signal ?? code})`));
        }
      });
    }
  }

  static start(count: number, nodeArgs: string[] = []): WorkerPool {
    const script = path.join(REPO_ROOT, 'bench/load/client-worker.ts');
    // 'advanced' serialization sends typed arrays as structured clones instead of JSON arrays.
    return new WorkerPool(
      Array.from({ length: count }, () =>
        fork(script, [], { cwd: REPO_ROOT, execArgv: [...nodeArgs, '--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
      ),
    );
  }

  get pids(): number[] {
    return this.children.map((child) => child.pid!);
  }

  call<Op extends WorkerOp>(worker: number, op: Op, ...params: Parameters<WorkerApi[Op]>): Promise<Result<Op>> {
    const child = this.children[worker]!;
    const id = this.nextId++;
    return new Promise<Result<Op>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, op, params } satisfies WorkerRequest<Op>);
    });
  }

  /** The same call on every worker, in parallel. */
  all<Op extends WorkerOp>(op: Op, ...params: Parameters<WorkerApi[Op]>): Promise<Array<Result<Op>>> {
    return Promise.all(this.children.map((_, worker) => this.call(worker, op, ...params)));
  }

  /** Closes the IPC channels (workers exit on that), and kills any worker still there after 5 s. */
  async close(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        if (child.connected) child.disconnect();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

/** Deals `items` round-robin over `count` workers, so typists and readers are spread evenly. */
export function dealOut<T>(items: T[], count: number): T[][] {
  const hands = Array.from({ length: count }, (): T[] => []);
  items.forEach((item, i) => hands[i % count]!.push(item));
  return hands;
}
