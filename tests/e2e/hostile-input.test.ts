// Issue 11: nothing outside the task can inject an agent command. Every case of the hostile table
// (hostile-cases.ts) runs the bundled task against the fake cloud and must end with one clear error line or a
// safe success, exit code 1 on failure, no stack trace outside debug lines, nothing exported after a failure, no
// hang, no leak (Fixture.run), and no command, formatting line or variable the task did not emit itself
// (agent.ts runTask). Cases without faults run a few at a time; cases with faults run one at a time.
import assert from 'node:assert/strict';
import { failure, type TaskRun } from './agent';
import { Fixture } from './fixture';
import { hostileCases, PROXIES, type Category, type HostileCase } from './hostile-cases';

const CONCURRENCY = 3;
const CASES = hostileCases();

interface Outcome {
  readonly run?: TaskRun;
  readonly ms: number;
  readonly error?: unknown;
}

async function runCase(fixture: Fixture, testCase: HostileCase): Promise<Outcome> {
  const started = Date.now();
  try {
    testCase.faults?.(fixture);
    const { run } = await fixture.run(await testCase.options(fixture));
    return { run, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

async function runAll(fixture: Fixture): Promise<Map<HostileCase, Outcome>> {
  const outcomes = new Map<HostileCase, Outcome>();
  const parallel = CASES.filter((c) => c.faults === undefined);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < parallel.length) {
      const testCase = parallel[next++];
      if (testCase) outcomes.set(testCase, await runCase(fixture, testCase));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  for (const testCase of CASES.filter((c) => c.faults !== undefined)) outcomes.set(testCase, await runCase(fixture, testCase));
  return outcomes;
}

/** A neutralised line holds no marker the agent would act on, even with invisible characters removed. */
function unneutralised(run: TaskRun): string[] {
  return run.lines.filter((line) => {
    const seen = line.replace(/[\p{Cf}\u0000]/gu, '');
    return seen.indexOf('##vso[', 1) >= 0 || seen.includes('##[');
  });
}

function assertOutcome(testCase: HostileCase, outcome: Outcome): void {
  assert.equal(outcome.error, undefined, String(outcome.error));
  const run = outcome.run;
  assert.ok(run !== undefined);
  const log = run.lines.join('\n');
  assert.ok(outcome.ms < 20_000, `took ${String(outcome.ms)} ms`);
  assert.deepEqual(unneutralised(run), [], 'a marker was printed without being neutralised');
  const errors = run.commands.filter((c) => c.area === 'task.issue' && c.properties.type === 'error');
  const failed = run.exitCode !== 0;
  if (testCase.outcome === 'fail') assert.ok(failed, `expected a failure:\n${log}`);
  if (testCase.outcome === 'succeed') assert.equal(run.exitCode, 0, failure(run) ?? log);
  if (failed) {
    assert.equal(run.exitCode, 1);
    assert.equal(errors.length, 1, log);
    assert.equal(run.commands.filter((c) => c.area === 'task.complete' && c.properties.result === 'Failed').length, 1, log);
    if (testCase.message) assert.match(errors[0]?.message ?? '', testCase.message);
    assert.deepEqual(
      run.commands.filter((c) => c.area === 'task.setvariable'),
      [],
      'a variable was exported by a failed run',
    );
  } else {
    assert.equal(errors.length, 0, log);
  }
  const visible = run.lines.filter((line) => !line.startsWith('##vso[task.debug]'));
  assert.ok(
    visible.every((line) => !/^\s+at \S/.test(line)),
    'a stack trace is visible',
  );
}

describe('EntraToken with hostile text from outside, end to end', function () {
  this.timeout(240_000);
  let fixture: Fixture;
  let outcomes: Map<HostileCase, Outcome>;

  before(async () => {
    fixture = await Fixture.start();
    outcomes = await runAll(fixture);
  });
  after(async () => {
    await Promise.all(PROXIES.map((proxy) => proxy.close()));
    await fixture.close();
  });

  it('covers at least 100 cases, in every category', () => {
    const counts: Record<Category, number> = { inputs: 0, endpoint: 0, claims: 0, server: 0 };
    for (const testCase of CASES) counts[testCase.category] += 1;

    assert.ok(CASES.length >= 100, `${String(CASES.length)} cases`);
    assert.ok(
      Object.values(counts).every((count) => count >= 8),
      JSON.stringify(counts),
    );
    assert.equal(new Set(CASES.map((c) => `${c.category}/${c.name}`)).size, CASES.length, 'case names are unique');
  });

  for (const category of ['inputs', 'endpoint', 'claims', 'server'] as const) {
    describe(category, () => {
      for (const testCase of CASES.filter((c) => c.category === category)) {
        it(testCase.name, () => {
          const outcome = outcomes.get(testCase);
          assert.ok(outcome !== undefined, 'the case did not run');
          assertOutcome(testCase, outcome);
        });
      }
    });
  }
});
