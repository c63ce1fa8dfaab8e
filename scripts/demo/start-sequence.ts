/**
 * The `npm start` sequence as a function, so the smoke test runs exactly what users run, on its own
 * port and state: migrations, dashboard build, wrangler dev, world (generate + load through the API),
 * demo keys, model (train, upload, activate), closed-loop simulator. Every step is skipped when the
 * state file says it is done and the database agrees; a step whose dependency is missing is skipped
 * with a printed line instead of failing the start.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { applyLocalMigrations, type DevServer, ensureAdminToken, ensureAssetsDir, ROOT, startDevServer } from '../lib/local-worker.ts';
import { refreshAnalytics } from './analytics-refresh.ts';
import { detectDemoAlerts } from './demo-alerts.ts';
import { uploadDemoAudio } from './demo-audio.ts';
import { createDemoCampaign } from './demo-campaign.ts';
import { createDemoEditorial } from './demo-editorial.ts';
import { keyWorks, mintDemoKeys, type NamedArtist } from './demo-keys.ts';
import { describeImportedListener, importDemoListener } from './imported-listener.ts';
import { loadPress } from './load-press.ts';
import { loadWorld } from './load-world.ts';
import { activeModel, startDemoExperiment, trainFromLocal, uploadAndActivate } from './model-step.ts';
import type { Reporter } from './progress.ts';
import { createSimulator, describeStats, historyRate } from './simulator.ts';
import { type DemoState, readState, writeState } from './state.ts';
import { topArtistsByPlays } from './top-artists.ts';
import { generateWorld, type WorldConfig } from './world.ts';

export interface StartOptions {
  port: number;
  /** wrangler persist dir, relative to the repository root. */
  persistTo: string;
  stateFile: string;
  /** Sizes of the world to generate when none is loaded; null loads none (real-data imports). */
  world: Partial<WorldConfig> | null;
  train: boolean;
  buildDashboard: boolean;
  /** Listener sessions per second of the background simulator; 0 runs none. */
  /** Simulator sessions per second; 0: no simulator; null: paced from the history (`simulatePace`). */
  simulateRate: number | null;
  /** With simulateRate null: this many times the history's daily volume (default 2). */
  simulatePace?: number;
  /** Closed-loop sessions run once, before the start returns, so the loop's charts start with data. */
  warmupSessions: number;
  reporter: Reporter;
}

export interface RunningDemo {
  url: string;
  adminToken: string;
  state: DemoState;
  server: DevServer;
  simulator: ChildProcess | null;
  /** Seconds spent in each step that ran. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

export async function startDemo(o: StartOptions): Promise<RunningDemo> {
  const say = o.reporter.line;
  const timings: Record<string, number> = {};
  const timed = async <T>(step: string, f: () => Promise<T> | T): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      timings[step] = Math.round((performance.now() - t0) / 100) / 10;
    }
  };
  // Logs and the trained bundle live beside the state file (.data/ for npm start, a temp dir in tests).
  const dataDir = dirname(o.stateFile);
  mkdirSync(dataDir, { recursive: true });
  const adminToken = ensureAdminToken();

  say('• applying migrations to local D1 …');
  await timed('migrations', () => applyLocalMigrations(o.persistTo));

  if (o.buildDashboard && !existsSync(join(ROOT, 'dashboard/build/index.html'))) {
    say('• building the dashboard (first start only) …');
    const built = await timed('dashboard', () => spawnSync('npm', ['run', 'build:dashboard'], { cwd: ROOT, encoding: 'utf8' }));
    if (built.status !== 0)
      say(`↷ dashboard build failed, the API still runs; see: npm run build:dashboard\n${(built.stderr ?? '').slice(-1500)}`);
  }
  ensureAssetsDir();

  say(`• starting wrangler dev on port ${o.port} …`);
  const server = await timed('wrangler', () =>
    startDevServer({ port: o.port, persistTo: o.persistTo, ownProcessGroup: true, testScheduled: true }),
  );
  const url = server.url;
  let simulator: ChildProcess | null = null;
  let cron: ReturnType<typeof setInterval> | null = null;
  const stop = async () => {
    if (cron) clearInterval(cron);
    // The simulator flushes its last events on SIGTERM: let it finish before the Worker goes away.
    const sim = simulator;
    if (sim && sim.exitCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          sim.kill('SIGKILL');
          resolve();
        }, 15_000);
        sim.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        sim.kill('SIGTERM');
      });
    }
    await server.stop();
  };

  try {
    let state = readState(o.stateFile);
    if (state && state.persistTo !== o.persistTo) state = null;
    // The database may have been wiped behind the state file's back: trust the state only if its key works.
    if (state?.keys && !(await keyWorks(url, state.keys.app.key))) {
      say('• the saved demo state does not match the database; rebuilding it');
      state = null;
    }
    state ??= { format: 'backbeat-demo/1', persistTo: o.persistTo };
    const save = () => writeState(o.stateFile, state as DemoState);

    let biggest: NamedArtist[] | null = null;
    if (!state.world && o.world) {
      const world = generateWorld(o.world);
      const c = world.config;
      say(
        `• generating and loading the demo world: ${c.artists} artists, ${world.tracks.length} tracks, ${c.users} listeners, ${c.days} days …`,
      );
      const bars = new Map<string, ReturnType<Reporter['bar']>>();
      const summary = await timed('world', () =>
        loadWorld(url, adminToken, world, {
          onProgress: (p) => {
            let bar = bars.get(p.phase);
            if (!bar) {
              for (const b of bars.values()) b.stop();
              bar = o.reporter.bar(p.phase, p.total, p.phase);
              bars.set(p.phase, bar);
            }
            bar.update(p.done, p.total);
          },
        }),
      );
      for (const b of bars.values()) b.stop();
      say(
        `  loaded ${summary.tracks} tracks, ${summary.users} listener profiles, ${summary.lists} served lists, ${summary.events.sent} events in ${summary.seconds.toFixed(1)} s` +
          (summary.events.rejected > 0 ? ` (${summary.events.rejected} rejected, e.g. ${JSON.stringify(summary.rejectedSample[0])})` : ''),
      );
      state.world = { config: world.config, loadedAt: new Date().toISOString(), summary };
      delete state.keys;
      delete state.press;
      delete state.audio;
      delete state.model;
      delete state.campaign;
      delete state.editorial;
      delete state.warmup;
      delete state.experiment;
      delete state.alerts;
      delete state.importedListener;
      biggest = world.biggestArtists(40);
      save();
    } else if (state.world) {
      say(`• reusing the demo world loaded ${state.world.loadedAt} (${state.world.summary.events.sent} events)`);
    }

    // The rollup applier counts a load while it arrives; wrangler dev runs no cron, so after a load
    // the start drains whatever is still pending or marked before it trains; on later starts that
    // runs in the background (at the end: local workerd serves one request at a time).
    if (biggest) {
      const bar = o.reporter.bar('analytics rollups', 1, 'days');
      try {
        const r = await timed('analytics', () => refreshAnalytics(url, adminToken, (done, total) => bar.update(done, total)));
        bar.stop();
        if (!r.available) say('↷ skipped the analytics refresh: this Worker has no /v1/admin/analytics/refresh');
        else say(`• analytics rollups refreshed for ${r.refreshed} days`);
      } catch (err) {
        bar.stop();
        say(`↷ analytics refresh failed (stale days catch up on the next start): ${(err as Error).message}`);
      }
    }

    // What the daily alert job would have found over the history's last four weeks (wrangler dev runs
    // no cron at first start; afterwards the local clock below runs the daily job at 00:30 UTC).
    if (!state.alerts && state.world) {
      const bar = o.reporter.bar('alert detection', DEMO_ALERT_DAYS, 'days');
      try {
        state.alerts = await timed('alerts', () => detectDemoAlerts(url, adminToken, DEMO_ALERT_DAYS, (d) => bar.update(d)));
        bar.stop();
        save();
        say(`• alerts: ${state.alerts.alerts} unusual artist-days in the last ${DEMO_ALERT_DAYS} days of history`);
      } catch (err) {
        bar.stop();
        say(`↷ skipped alert detection: ${(err as Error).message}`);
      }
    }

    if (!state.keys) {
      biggest ??= topArtistsByPlays(o.persistTo, 40);
      if (biggest.length === 0) {
        say('↷ skipped demo keys: no artists with plays yet (import a dataset, then run npm start again)');
      } else {
        state.keys = await timed('keys', () => mintDemoKeys(url, adminToken, biggest as NamedArtist[]));
        save();
      }
    }

    // The world's press, through POST /v1/texts with the app key: after the catalogue it mentions.
    if (!state.press && state.keys && state.world) {
      const world = generateWorld(state.world.config);
      const appKey = state.keys.app.key;
      const bar = o.reporter.bar('press articles', 1, 'texts');
      try {
        const press = await timed('press', () => loadPress(url, appKey, world, (done, total) => bar.update(done, total)));
        bar.stop();
        state.press = { ...press, at: new Date().toISOString() };
        save();
        say(
          `• press: ${press.stored} articles in ${press.seconds.toFixed(1)} s, with spikes for ${press.spikes.map((s) => s.artistName).join(', ')}` +
            (press.rejected > 0 ? ` (${press.rejected} rejected)` : ''),
        );
      } catch (err) {
        bar.stop();
        say(`↷ skipped the press articles (the next start tries again): ${(err as Error).message}`);
      }
    }

    // Three of the artist key's tracks get a synthesised recording, analysed by the Worker's queue consumer.
    if (!state.audio && state.keys?.artist.artistIds && state.world) {
      const bound = new Set(state.keys.artist.artistIds);
      const tracks = generateWorld(state.world.config)
        .tracks.filter((t) => bound.has(t.artist.id))
        .map((t) => t.id);
      try {
        const results = await timed('audio', () => uploadDemoAudio(url, (state.keys as NonNullable<typeof state.keys>).app.key, tracks));
        state.audio = { results, at: new Date().toISOString() };
        save();
        for (const r of results)
          say(`• audio: ${r.trackId} made at ${r.made}, ${r.status}: ${r.found} (GET /v1/tracks/${r.trackId}/audio)`);
      } catch (err) {
        say(`↷ skipped the demo audio (the next start tries again): ${(err as Error).message}`);
      }
    }

    // The version serving traffic, asked once: training sets it, a later start reads it back.
    let active: string | null = null;
    if (o.train && !state.model) {
      if (!state.world && !state.keys) {
        say('↷ skipped training: no listening data yet');
      } else {
        const dir = join(dataDir, 'model');
        rmSync(dir, { recursive: true, force: true });
        const logFile = join(dataDir, 'train.log');
        const onTerminal = o.reporter.interactive === true;
        say(`• training a model on the local data${onTerminal ? '' : ` (log: ${logFile})`} …`);
        // A failed training leaves the rest of the demo up (analytics, catalogue); the next start retries.
        try {
          await timed('train', () => trainFromLocal(o.persistTo, dir, logFile, onTerminal));
          say(`  trained in ${timings.train} s`);
          say('• uploading and activating the model …');
          const version = await timed('model upload', () => uploadAndActivate(url, adminToken, dir));
          active = version;
          state.model = { version, activatedAt: new Date().toISOString(), dir };
          save();
        } catch (err) {
          say(`↷ no model this time: ${(err as Error).message}; recommendations answer 503 until the next npm start trains one`);
        }
      }
    } else if (state.model) {
      active = await activeModel(url, adminToken);
      say(active ? `• model ${active} is active` : `↷ the saved model ${state.model.version} is not active; run npm run reset to retrain`);
    }

    const modelActive = active !== null;
    // A listener who brings a Spotify history: imported the CLI's way, personal recommendations at once
    // (before the experiment starts, so its first list is the model's).
    if (!state.importedListener && state.world && modelActive) {
      try {
        const world = generateWorld(state.world.config);
        const { totals: _, ...imported } = await timed('imported listener', () =>
          importDemoListener(url, state?.keys?.app.key ?? adminToken, world, dataDir),
        );
        state.importedListener = imported;
        save();
        say(describeImportedListener(imported));
      } catch (err) {
        say(`↷ skipped the imported listener (the next start tries again): ${(err as Error).message}`);
      }
    }
    if (!state.campaign && state.keys && modelActive) {
      // The roster's fifth artist: mid-sized, so a boost has room to show.
      const marketer = state.keys.marketer;
      const index = Math.min(4, (marketer.artistIds?.length ?? 1) - 1);
      const artist = { id: marketer.artistIds?.[index] ?? '', name: marketer.artistNames?.[index] ?? '' };
      try {
        state.campaign = await timed('campaign', () => createDemoCampaign(url, marketer.key, artist, o.persistTo));
        save();
        say(
          `• demo campaign: boosting ${artist.name}'s top track for ${state.campaign.audience.treated} listeners (${state.campaign.audience.holdout} held out)`,
        );
      } catch (err) {
        say(`↷ skipped the demo campaign: ${(err as Error).message}`);
      }
    }

    if (!state.editorial && state.keys && modelActive) {
      try {
        state.editorial = await timed('editorial', () => createDemoEditorial(url, adminToken, o.persistTo));
        save();
        say(`• editorial: ${state.editorial.playlists.map((p) => `"${p.title}"`).join(', ')} published (two with home-list slots)`);
      } catch (err) {
        say(`↷ skipped the demo editorial playlists: ${(err as Error).message}`);
      }
    }

    if (!state.experiment && state.keys && active) {
      try {
        const e = await timed('experiment', () => startDemoExperiment({ url, key: adminToken }, active as string));
        state.experiment = { id: e.id, name: e.name, at: new Date().toISOString() };
        save();
        say(
          `• experiment "${e.name}": ${e.arms.map((x) => `${x.name} ${Math.round(x.share * 100)} %`).join(' against ')} of listeners (Experiments page)`,
        );
      } catch (err) {
        say(`↷ skipped the demo experiment: ${(err as Error).message}`);
      }
    }

    if (!state.warmup && state.keys && modelActive && o.warmupSessions > 0) {
      const sim = createSimulator(url, state.keys.app.key, state, { log: say });
      const bar = o.reporter.bar('served lists', o.warmupSessions, 'sessions');
      await timed('warm-up', async () => {
        let next = 0;
        const worker = async () => {
          while (next < o.warmupSessions) {
            next++;
            await sim.session().catch(() => {
              sim.stats.errors++;
            });
            bar.update(sim.stats.sessions);
          }
        };
        await Promise.all(Array.from({ length: 4 }, worker));
        await sim.flush();
      });
      bar.stop();
      say(`  warm-up: ${describeStats(sim.stats)}`);
      state.warmup = { sessions: sim.stats.sessions, lists: sim.stats.lists, at: new Date().toISOString() };
      save();
    }

    if (o.simulateRate !== 0 && state.keys) {
      const pace = o.simulatePace ?? 2;
      const speed = o.simulateRate === null ? ['--pace', String(pace)] : ['--rate', String(o.simulateRate)];
      const rate = o.simulateRate ?? historyRate(state, pace);
      const log = join(dataDir, 'simulate.log');
      const out = openSync(log, 'a');
      simulator = spawn(
        process.execPath,
        [join(ROOT, 'scripts/demo/simulate.ts'), '--url', url, '--state', o.stateFile, ...speed, '--minutes', '0'],
        // The IPC channel closes when npm start dies, however it dies: the simulator stops with it.
        { cwd: ROOT, stdio: ['ignore', out, out, 'ipc'] },
      );
      const at = rate === null ? 'a default rate' : `${rate.toPrecision(2)} listener sessions/s`;
      const paced = o.simulateRate === null && rate !== null ? `, ${pace}× the history's daily volume` : '';
      say(`• closed-loop simulator running at ${at}${paced} (log: ${log})`);
    } else if (o.simulateRate !== 0) {
      say('↷ skipped the simulator: no demo keys yet');
    }
    if (!biggest) {
      void refreshAnalytics(url, adminToken).catch(() => {
        // best effort: the next start tries again
      });
    }
    // wrangler dev runs no cron: this clock runs the Worker's scheduled jobs (analytics refresh, the
    // archive of days past the hot window) on wrangler.toml's schedule, every minute, as production does.
    cron = scheduleCron(url, dataDir);
    say(`• scheduled jobs (rollup refresh, archive) run every minute, as the deployed cron does (log: ${join(dataDir, 'cron.log')})`);
    return { url, adminToken, state, server, simulator, timings, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The deployed crons (wrangler.toml `crons`), run locally through `/__scheduled`: every minute, and daily at 00:30 UTC. */
export const CRON = '* * * * *';
export const DAILY_CRON = '30 0 * * *';
/** Days of history the first start runs alert detection over. */
const DEMO_ALERT_DAYS = 28;

/** Triggers the scheduled handler every minute (and the daily cron at 00:30 UTC); one line per run in `<dataDir>/cron.log`, never overlapping. */
function scheduleCron(url: string, dataDir: string): ReturnType<typeof setInterval> {
  const log = join(dataDir, 'cron.log');
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    const t0 = performance.now();
    try {
      const now = new Date();
      // The daily cron (alerts) at its minute, as the deployed triggers run it.
      const crons = now.getUTCHours() === 0 && now.getUTCMinutes() === 30 ? [CRON, DAILY_CRON] : [CRON];
      for (const cron of crons) {
        const res = await fetch(`${url}/__scheduled?cron=${encodeURIComponent(cron)}`);
        await res.body?.cancel();
        appendFileSync(log, `${new Date().toISOString()} scheduled ${cron} ${res.status} in ${Math.round(performance.now() - t0)} ms\n`);
      }
    } catch (err) {
      appendFileSync(log, `${new Date().toISOString()} scheduled failed: ${(err as Error).message}\n`);
    } finally {
      running = false;
    }
  }, 60_000);
  timer.unref();
  return timer;
}

/** The printed summary: URLs and keys. */
export function describeDemo(d: RunningDemo): string {
  const k = d.state.keys;
  const lines = [
    '',
    'Backbeat is running.',
    `  Dashboard     ${d.url}/`,
    `  API           ${d.url}/v1   (reference: ${d.url}/docs)`,
    '',
    `  Admin key     ${d.adminToken}`,
  ];
  if (k) {
    lines.push(`  App key       ${k.app.key}`);
    lines.push(`  Artist key    ${k.artist.key}   (${k.artist.artistNames?.join(', ')})`);
    lines.push(`  Marketer key  ${k.marketer.key}   (roster of ${k.marketer.artistIds?.length} artists)`);
  }
  if (d.state.editorial)
    lines.push(`  Editor key    ${d.state.editorial.key}   (${d.state.editorial.playlists.length} editorial playlists)`);
  if (d.state.model) lines.push(`  Model         ${d.state.model.version}`);
  if (d.state.campaign)
    lines.push(`  Campaign      ${d.state.campaign.id} (report: GET /v1/campaigns/${d.state.campaign.id}/report with the marketer key)`);
  const imported = d.state.importedListener;
  if (imported)
    lines.push(
      `  Imported      ${imported.userId}: ${imported.listens} Spotify listens, ${imported.matched} matched, ${imported.unmatched} unmatched (recommendations cold_start "${imported.coldStart}")`,
      `                try again: npm run import -- --spotify-history ${relative(ROOT, imported.file)} --user ${imported.userId}`,
    );
  const user = d.state.world ? 'u-1' : 'USER_ID';
  if (k) lines.push('', `  Try: curl -H "authorization: Bearer ${k.app.key}" ${d.url}/v1/users/${user}/recommendations`);
  if (k) lines.push(`  Listener preview: ${d.url}/listeners?user=${user}   (sign in with the app key)`);
  return lines.join('\n');
}
