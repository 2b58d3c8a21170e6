// Ends the process once its outcome is known and everything it printed has been handed to the OS. Library timers
// (the HTTP runtime clears its per-request timer only on success) must not keep a finished step alive.
export function exitWhenFlushed(): void {
  let pending = 2;
  const done = (): void => {
    pending -= 1;
    if (pending === 0) process.exit();
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}
