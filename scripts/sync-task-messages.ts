// `npm run sync-messages`: writes each task's wording (its src/messages.ts, the single source of truth) into
// task.json `messages`, in task.json's loc format: the function rendered with '{0}', '{1}', … as arguments.
// The task never calls tl.loc at run time (task-lib 5 carries its own strings), so task.json `messages` serves
// documentation and localization tooling only; a test fails when it drifts from messages.ts.
import { join } from 'node:path';
import { messages as entraTokenMessages } from '../tasks/EntraToken/v1/src/common/messages';
import { ROOT } from './build';
import { readJsonObject, writeJsonObject } from './manifests';

/** Any message function: every function of any parameters that returns a string is assignable to it. */
export type MessageFunction = (...args: never[]) => string;

export interface TaskMessages {
  readonly taskJson: string;
  readonly messages: Readonly<Record<string, MessageFunction>>;
}

export const TASK_MESSAGES: readonly TaskMessages[] = [
  { taskJson: join(ROOT, 'tasks', 'EntraToken', 'v1', 'task.json'), messages: entraTokenMessages },
];

/** Stands for parameter n: reads as '{n}' in a template, in string methods, and where a message joins a list. */
class Placeholder extends String {
  join(): string {
    return this.valueOf();
  }
}

/** f('{0}', '{1}', …), whatever the parameter's type: messages only interpolate their arguments. */
export function renderTemplate(render: MessageFunction): string {
  const placeholders = Array.from({ length: render.length }, (_, index) => new Placeholder(`{${index}}`));
  const text: unknown = Reflect.apply(render, undefined, placeholders);
  if (typeof text !== 'string') throw new Error(`message function ${render.name} did not return a string`);
  return text;
}

export function renderMessages(source: Readonly<Record<string, MessageFunction>>): Record<string, string> {
  return Object.fromEntries(Object.entries(source).map(([key, render]) => [key, renderTemplate(render)]));
}

function main(): void {
  for (const task of TASK_MESSAGES) {
    const rendered = renderMessages(task.messages);
    // Existing keys keep their place, so the rewrite changes only the messages.
    writeJsonObject(task.taskJson, { ...readJsonObject(task.taskJson), messages: rendered });
    console.log(`wrote ${Object.keys(rendered).length} messages into ${task.taskJson}`);
  }
}

if (require.main === module) main();
