/** `actions-results.md` from `actions-results.json`: every run, newest first, and how to read them. */
import type { Run } from "./actions.js"

const table = (run: Run): Array<string> => [
  `### ${run.label} (${run.at})`,
  "",
  `${run.machine}, Node ${run.node}; ${run.dialogs.toLocaleString("en")} dialogs in PostgreSQL, ${run.measured} fresh ones acted on (the first 10 of each step not counted); ` +
  `load average ${run.loadBefore} before, ${run.loadAfter} after (2 cores shared with other work).`,
  "",
  "| step | p50 | p99 | max | bare p50 | bare p99 | × bare (p50) | bytes | statements / request | server CPU / request | failed |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
  ...run.steps.map((step) =>
    `| ${step.opening ? `**${step.step}**` : step.step} | ${step.p50} ms | ${step.p99} ms | ${step.max} ms | ${step.bareP50} ms | ${step.bareP99} ms | ${step.ratio} | ${step.bytes} | ${step.statementsPerRequest} | ${step.serverCpuMsPerRequest} ms | ${step.failures === 0 ? "" : `${step.failures}: ${step.firstFailure ?? ""}`} |`),
  ""
]

/** The whole file. */
export const render = (runs: ReadonlyArray<Run>): string =>
  [
    "# Panel: opening a dialog and each action's round trip",
    "",
    "Issue 21, acceptance 3, from `bench/panel/actions.ts` (see its header for the scenario). Times are the client's,",
    "one request at a time over one kept-alive connection on 127.0.0.1, from the request's first byte to the",
    "response's last; `bare` is a bare Hono handler on `@hono/node-server` answering the same bytes, measured in the",
    "same run right after each step. Opening a dialog is in bold (aim: p99 under 100 ms).",
    "",
    ...notes,
    "",
    ...[...runs].reverse().flatMap(table)
  ].join("\n")

/** How to read the figures; update when they change shape. */
const notes: ReadonlyArray<string> = [
  "## Reading the figures",
  "",
  "- The data: 100,000 background dialogs (10% queued, 30% active with one of 50 operators, 60% closed with a reason;",
  "  every tenth with five messages) and their 100,000 clients. A template dialog of each kind is made through the",
  "  engine, then cloned in SQL into every table a dialog and its client are stored in (the projections and stream",
  "  versions; not their events, timers or outbox). The measuring operator holds 300 active and 3,000 closed ones.",
  "- `open dialog` on background dialogs: 400 dialogs of every folder, scattered over the table, opened by a",
  "  supervisor (who sees them all): the page is the whole inbox (folder list, counters, the Active list beside the",
  "  dialog, the pane), the pane is what htmx swaps in when a row is clicked.",
  "- Actions answer with the pane (htmx), as the panel asks for them; `mark read` and `save draft` answer 204.",
  "- `statements / request` counts every statement the server process sent to PostgreSQL during the step (its",
  "  scheduler and router included, a few a second), divided by the step's requests.",
  "",
  "## What the first runs found (2026-12-06)",
  "",
  "- On 100,000 dialogs the server could hardly take a message: making the run's fresh dialogs (80 inbound messages",
  "  into New) took 3 min 25 s, 111 s of it CPU in `PointReads` (node --cpu-prof). Every message into New wakes the",
  "  router; its sweep reads the dialogs held by absent operators (here 50 background operators hold 30,000 active",
  "  dialogs) side by side, and the point reads gathered a turn's callers in a `Ref` of an immutable array, copied",
  "  on every read: quadratic, ~450 million copies for 30,000 reads. Fixed: the turn's callers are appended in place;",
  "  the sweep reads a held dialog only when some queue's rule could requeue it now (`Routing.mayRequeue`: with the",
  "  demo's KEEP rule, none); operator loads are built without copying each operator's list per row. The same 80",
  "  messages then took 12 s.",
  "- Opening a dialog then cost ~40 ms of server CPU per pane on this loaded machine. In its profile the settings",
  "  were decoded by their Schema several times per request (~1.4 ms each here; now once per stored value), and each",
  "  request built `Intl` formatters twice to check the user's time zone before finding its cached locale (now found",
  "  by the language and zone asked).",
  "- Before the fixes, a trial on 5,049 dialogs (20 fresh ones; load average 16–18; a development run, not under the",
  "  bench lock): opening from the 400 background dialogs, page p50 358 ms / p99 2,481 ms, pane 115 / 520 ms (44 ms",
  "  of server CPU each); close with a reason p50 1,532 ms (745 ms of server CPU, 66 statements a request), reopen",
  "  1,749 ms, leave 2,112 ms (940 ms of CPU): each woke the router, whose sweep read every held dialog.",
  "- On the 100,000 dialogs, after the point-read and router fixes but before the settings and locale ones (30 fresh",
  "  dialogs; CPU profiler on; load average ~15; a development run, not under the bench lock): pane from the 400",
  "  background dialogs p50 69.9 ms / p99 296.3 ms (bare 0.95 ms), pane of a New dialog 107.8 / 195.3 ms, of a Mine",
  "  dialog 43.6 / 168.6 ms, ~17.6 statements a pane. The aim (p99 under 100 ms) was not met on this machine at that",
  "  load; the time is mostly waiting for a core (the pane's own CPU was ~40 ms, now less by the settings decodes).",
  "- Not yet measured under the bench lock (on 2026-12-06 the lock was taken past this session's end): run",
  "  `flock /tmp/bench.lock pnpm --filter @switchboard/bench bench:panel-actions --reuse --label ...` for the table",
  "  below; for a before/after of opening, the same with `--measured 0 --only \"supervisor, 100k\" --no-record` on the",
  "  code before the fixes (main a539e1b, with these bench files copied in) and after, back to back.",
  "",
  "## Close, outgoing, reopen, leave: the router's pass (2026-12-06, evening)",
  "",
  "- `after: bench21 4d7ead4` measured ~0.9 s of server CPU for each action that wakes the router (close with a",
  "  reason, outgoing dialog, reopen, leave): every pass then read and decoded the 10,000 queued dialogs. On main",
  "  f84d013 the router keeps the queue (`KnownQueue`, from b26ff82), and a profiled run (`BENCH_CPU_PROF`, 20 fresh",
  "  dialogs, not under the lock) gave those four steps 73–141 ms of server CPU a request against ~50 ms for the",
  "  other actions. In 13 s of the profile over those steps (~9.7 s busy, 2 s of it GC), building a pass's snapshot",
  "  took 2.7 s: 0.96 s in `loadStub` for the 30,000 dialogs held by the 50 absent background operators (read from",
  "  `dialog_owners` on every pass, each id checked again by its Schema), 1.3 s in the loops themselves, 0.39 s in",
  "  `routingDialogOf` for the 10,000 queued; re-sorting the known queue after each event took 0.54 s more; the",
  "  planner 0.04 s.",
  "- Fixed: a pass reads the load only of the operators who may take a dialog or lose one to a due REQUEUE_AFTER",
  "  rule, plus every pending offer (`PresenceStore.loads({ operators })`; the board still reads all); stubs take",
  "  the store's ids as decoded; a queued dialog's view is kept per stored version, and the list of views while",
  "  the queue's list is the same array (`KnownQueue` keeps its list sorted by binary insertion and answers the same",
  "  array until a queued dialog changes: closing an active dialog leaves it); the sticky reopen walks only the",
  "  reopened dialogs. `after: actions 4c3e65f` below: those four steps at 34.6–45.7 ms of server CPU, as much as",
  "  the other actions (p50 37–47 ms).",
  "- Not done: the router's 30 s safety tick still re-reads and decodes every queued dialog and operator",
  "  (`KnownQueue.refresh`); single requests that coincide with it wait (the 885 ms max of `block client` and",
  "  the 792 ms max of the background pane in that run are likely those)."
]
