/**
 * A CPU profile of the local Worker through its devtools port (wrangler dev --inspector-port), for
 * benchmarks that want to say where the server time goes: start, run the load, stop, then read the
 * functions with the most self and inclusive time, or open the .cpuprofile file in Chrome DevTools.
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Profiler {
  stop(): Promise<CpuProfile>;
}

/**
 * Starts sampling the Worker's isolate every `intervalUs` microseconds.
 *
 * @example const profiler = await startCpuProfile(9230); await load(); const profile = await profiler.stop();
 */
export async function startCpuProfile(inspectorPort: number, intervalUs = 100): Promise<Profiler> {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json()) as Array<{ webSocketDebuggerUrl?: string }>;
  const wsUrl = targets.find((t) => t.webSocketDebuggerUrl)?.webSocketDebuggerUrl;
  if (!wsUrl) throw new Error(`no devtools target on 127.0.0.1:${inspectorPort}`);
  // wrangler's inspector proxy only takes devtools connections from a local Origin (undici's WebSocket takes headers).
  const ws = new WebSocket(wsUrl, { headers: { origin: 'http://localhost' } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`cannot open ${wsUrl}`));
  });
  let next = 0;
  const waiting = new Map<number, (result: unknown) => void>();
  ws.onmessage = (m) => {
    const msg = JSON.parse(String(m.data)) as { id?: number; result?: unknown; error?: { message: string } };
    if (msg.id === undefined) return;
    waiting.get(msg.id)?.(msg.error ? new Error(msg.error.message) : msg.result);
    waiting.delete(msg.id);
  };
  const call = async <T>(method: string, params: Record<string, unknown> = {}): Promise<T> => {
    const id = ++next;
    const answer = await new Promise<unknown>((resolve) => {
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
    if (answer instanceof Error) throw answer;
    return answer as T;
  };
  await call('Profiler.enable');
  await call('Profiler.setSamplingInterval', { interval: intervalUs });
  await call('Profiler.start');
  return {
    async stop() {
      try {
        return (await call<{ profile: CpuProfile }>('Profiler.stop')).profile;
      } finally {
        ws.close();
      }
    },
  };
}

export interface FunctionTime {
  name: string;
  /** ms per request (the profile's total divided by `requests`). */
  self: number;
  inclusive: number;
}

/**
 * Time per function (name, file and line), per request: self time, and inclusive time counted once
 * per sample however deep the recursion.
 */
export function timeByFunction(profile: CpuProfile, requests: number): FunctionTime[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop() ?? ''}:${n.callFrame.lineNumber + 1}`;
  const perNode = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) perNode.set(id, (perNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of perNode) {
    const node = byId.get(id);
    if (!node) continue;
    self.set(keyOf(node), (self.get(keyOf(node)) ?? 0) + us);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n) break;
      const k = keyOf(n);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  return [...inclusive].map(([name, us]) => ({ name, self: (self.get(name) ?? 0) / 1000 / requests, inclusive: us / 1000 / requests }));
}
