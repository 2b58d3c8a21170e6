// Reads the repository's JSON manifests through type guards, so scripts and tests never cast untyped JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { taskDirectories } from './build';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readJsonObject(path: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isRecord(parsed)) throw new Error(`${path}: expected a JSON object`);
  return parsed;
}

/** Two-space JSON with a final newline: the one format of every task.json, so a rewrite changes only what changed. */
export function writeJsonObject(path: string, value: Readonly<Record<string, unknown>>): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function stringField(object: Readonly<Record<string, unknown>>, key: string, where: string): string {
  const value = object[key];
  if (typeof value !== 'string') throw new Error(`${where}: '${key}' must be a string`);
  return value;
}

function optionalString(object: Readonly<Record<string, unknown>>, key: string, where: string): string | undefined {
  return object[key] === undefined ? undefined : stringField(object, key, where);
}

function records(value: unknown, where: string): Record<string, unknown>[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(isRecord)) throw new Error(`${where}: expected an array of objects`);
  return value;
}

export interface TaskInput {
  readonly name: string;
  readonly type: string;
  readonly aliases: readonly string[];
  /** Absent in task.json ↔ undefined here. */
  readonly defaultValue: string | boolean | undefined;
  readonly groupName: string | undefined;
  readonly visibleRule: string | undefined;
  readonly helpMarkDown: string | undefined;
  /** The keys of a pickList's options. */
  readonly options: readonly string[];
  /** A pickList whose `properties.EditableOptions` lets users type any value. */
  readonly editableOptions: boolean;
  readonly required: boolean;
}

export interface TaskManifest {
  readonly path: string;
  readonly name: string;
  readonly friendlyName: string;
  readonly instanceNameFormat: string;
  /** Major.Minor.Patch */
  readonly version: string;
  readonly groups: readonly string[];
  readonly inputs: readonly TaskInput[];
  readonly messages: Readonly<Record<string, unknown>> | undefined;
}

function readInput(input: Readonly<Record<string, unknown>>, where: string): TaskInput {
  const name = stringField(input, 'name', where);
  const at = `${where} input '${name}'`;
  const { aliases, defaultValue, options } = input;
  if (aliases !== undefined && !(Array.isArray(aliases) && aliases.every((alias) => typeof alias === 'string'))) {
    throw new Error(`${at}: 'aliases' must be an array of strings`);
  }
  if (defaultValue !== undefined && typeof defaultValue !== 'string' && typeof defaultValue !== 'boolean') {
    throw new Error(`${at}: 'defaultValue' must be a string or a boolean`);
  }
  if (options !== undefined && !isRecord(options)) throw new Error(`${at}: 'options' must be an object`);
  return {
    name,
    type: stringField(input, 'type', at),
    aliases: aliases ?? [],
    defaultValue,
    groupName: optionalString(input, 'groupName', at),
    visibleRule: optionalString(input, 'visibleRule', at),
    helpMarkDown: optionalString(input, 'helpMarkDown', at),
    options: Object.keys(options ?? {}),
    editableOptions: isRecord(input.properties) && String(input.properties.EditableOptions).toLowerCase() === 'true',
    required: input.required === true,
  };
}

function readVersion(value: unknown, where: string): string {
  if (!isRecord(value)) throw new Error(`${where}: 'version' must be an object`);
  const parts = ['Major', 'Minor', 'Patch'].map((key) => value[key]);
  if (!parts.every((part) => typeof part === 'number')) throw new Error(`${where}: version needs numeric Major, Minor and Patch`);
  return parts.join('.');
}

export function readTaskManifest(path: string): TaskManifest {
  const task = readJsonObject(path);
  const { messages } = task;
  if (messages !== undefined && !isRecord(messages)) throw new Error(`${path}: 'messages' must be an object`);
  return {
    path,
    name: stringField(task, 'name', path),
    friendlyName: stringField(task, 'friendlyName', path),
    instanceNameFormat: stringField(task, 'instanceNameFormat', path),
    version: readVersion(task.version, path),
    groups: records(task.groups, `${path} groups`).map((group) => stringField(group, 'name', `${path} group`)),
    inputs: records(task.inputs, `${path} inputs`).map((input) => readInput(input, path)),
    messages,
  };
}

/** The task.json of every task version the build bundles. */
export function taskManifestPaths(): string[] {
  return taskDirectories().map((directory) => join(directory, 'task.json'));
}
