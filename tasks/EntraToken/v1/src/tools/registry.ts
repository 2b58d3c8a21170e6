// The one list of tool adapters. ToolTargets is derived from it, and parseToolTargets must name every module's
// parse: a module added to the list but not read here (or the reverse) fails to compile.
import { acrTool } from './acr';
import { environmentTool } from './environment';
import { gitTool } from './git';
import { mavenTool } from './maven';
import { npmTool } from './npm';
import { nugetTool } from './nuget';
import { pipTool } from './pip';
import type { ToolModule, ToolReader } from './tool-module';
import { twineTool } from './twine';

export const TOOL_MODULES = [nugetTool, npmTool, pipTool, gitTool, environmentTool, mavenTool, twineTool, acrTool] as const;

type AnyToolModule = (typeof TOOL_MODULES)[number];
type TargetsOf<M> = M extends ToolModule<infer T> ? T : never;
type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;

/** What every tool input asked for, one field group per module. */
export type ToolTargets = Intersection<TargetsOf<AnyToolModule>>;

export function parseToolTargets(reader: ToolReader): ToolTargets {
  return {
    ...nugetTool.parse(reader),
    ...npmTool.parse(reader),
    ...pipTool.parse(reader),
    ...gitTool.parse(reader),
    ...environmentTool.parse(reader),
    ...mavenTool.parse(reader),
    ...twineTool.parse(reader),
    ...acrTool.parse(reader),
  };
}

/** The modules with something to configure, in registry order. */
export function requestedTools(targets: ToolTargets): AnyToolModule[] {
  return TOOL_MODULES.filter((module) => !module.isEmpty(targets));
}

/** The scopes the requested tools need besides the main one (e.g. ARM for a container registry). */
export function toolScopes(targets: ToolTargets): string[] {
  return requestedTools(targets).flatMap((module) => (module.scope === undefined ? [] : [module.scope]));
}
