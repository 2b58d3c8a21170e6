// Loopback servers that real git, npm and pip authenticate against; see types.ts for the shapes.
export { startGitServer } from './git-server';
export { startNpmRegistry } from './npm-registry';
export { startPipIndex } from './pip-index';
export { authKind } from './tls-server';
export type * from './types';
export { startMavenRepository, type MavenRepository } from './maven-repository';
export { startPypiUpload, type PypiUploadServer } from './pypi-upload';
export { startContainerRegistry, type ContainerRegistry } from './container-registry';
